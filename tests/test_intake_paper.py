"""Paper forms: CSV template, dry run with per-row errors, import, idempotent re-import."""

import codecs
import csv
import html
import io
import re
import uuid

from app.node import home

from .conftest import csrf_token

HEADER = [
    "text",
    "language",
    "category",
    "gender",
    "respondent_name",
    "respondent_contact",
    "consent",
]


def _csv(rows, header=HEADER, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _upload(client, raw: bytes, token=None):
    token = token or csrf_token(client, "/capture/paper")
    return client.post(
        "/capture/paper",
        data={"csrf_token": token, "file": (io.BytesIO(raw), "forms.csv")},
        content_type="multipart/form-data",
    )


def _import(client, preview, choice):
    page = preview.get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]*)"', page).group(1)
    return client.post(
        "/capture/paper/import",
        data={
            "csrf_token": csrf_token(client, "/capture/paper"),
            "content": content,
            "choice": choice,
            "filename": "forms.csv",
        },
    )


def _needs(node_home):
    db = home.open_home(node_home).connect()
    try:
        return list(db.query("SELECT * FROM needs ORDER BY id"))
    finally:
        db.close()


def _row_results(response) -> dict[int, str]:
    """{row number: text of the result cell} from the preview table."""
    page = html.unescape(response.get_data(as_text=True))
    rows = re.findall(
        r'<tr class="paper-\w+" id="row-(\d+)">\s*<td>\d+</td>\s*<td>(.*?)</td>', page, re.DOTALL
    )
    return {int(n): re.sub(r"<[^>]+>", " ", cell).strip() for n, cell in rows}


GOOD = [
    ["Kisima kimeharibika.", "sw", "water", "female", "", "", ""],
    ["Barabara ni mbovu.", "sw", "roads", "male", "Juma Otieno", "0722 111 222", "yes"],
]


def test_template_download_and_permissions(client, signed_in, app):
    assert client.get("/capture/paper/template.csv").status_code == 302  # sign in first
    signed_in("analyst", "ana")
    assert client.get("/capture/paper/template.csv").status_code == 403
    other = app.test_client()
    from .conftest import add_user, login

    add_user(app.extensions["sauti_home"].path, "fatma", "facilitator")
    login(other, "fatma")
    response = other.get("/capture/paper/template.csv", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "uuid", "text", "language", "category", "goals", "locality", "gender", "age_band",
        "groups", "supporters", "respondent_name", "respondent_contact", "consent", "captured_at",
    ]  # fmt: skip
    assert all(r[0].startswith("#") for r in rows[1:])
    assert "what the person said" in rows[1][1]
    # The template as downloaded has nothing to import.
    empty = _upload(other, raw)
    assert empty.status_code == 422 and "no rows to import" in empty.get_data(as_text=True)


def test_dry_run_lists_errors_by_row_and_writes_nothing(signed_in, node_home):
    client = signed_in("facilitator")
    rows = [
        GOOD[0],  # row 2
        ["Mvua imeharibu nyumba.", "sw", "weather", "", "", "", ""],  # row 3: category
        ["", "sw", "water", "", "", "", ""],  # row 4: text
        ["Hakuna dawa.", "sw", "health", "", "Amina", "", ""],  # row 5: consent
        GOOD[1],  # row 6
    ]
    preview = _upload(client, _csv(rows).encode())
    assert preview.status_code == 200
    results = _row_results(preview)
    assert set(results) == {2, 3, 4, 5, 6}
    assert results[2] == "new" and results[6] == "new"
    assert "category" in results[3] and "Unknown category" in results[3]
    assert "text" in results[4]
    assert "consent" in results[5]
    page = preview.get_data(as_text=True)
    assert "Import the 2 valid rows" in page and 'value="all"' not in page
    assert _needs(node_home) == []
    # "all" is refused while rows have errors; nothing is stored.
    refused = _import(client, preview, "all")
    assert refused.status_code == 422 and _needs(node_home) == []
    done = _import(client, preview, "valid")
    assert done.status_code == 200
    stored = _needs(node_home)
    assert [n["text"] for n in stored] == [GOOD[0][0], GOOD[1][0]]
    assert {n["channel"] for n in stored} == {"paper"}
    assert stored[1]["respondent_name"] == "Juma Otieno" and stored[1]["consent"] == 1
    assert stored[0]["ref"] in done.get_data(as_text=True)


def test_reimport_is_idempotent_and_identical_rows_are_two_needs(signed_in, node_home):
    client = signed_in("facilitator")
    same = ["Tunahitaji shule.", "sw", "education", "", "", "", ""]
    content = _csv([same, GOOD[0], same]).encode()
    preview = _upload(client, content)
    assert 'value="all"' in preview.get_data(as_text=True)
    assert _import(client, preview, "all").status_code == 200
    assert [n["text"] for n in _needs(node_home)] == [same[0], GOOD[0][0], same[0]]
    again = _upload(client, content)
    assert set(_row_results(again).values()) == {"already imported"}
    assert _import(client, again, "all").status_code == 200
    assert len(_needs(node_home)) == 3
    # Editing whitespace and case of codes makes the same rows (normalized).
    variant = _csv([[" " + same[0] + " ", "SW", "Education", "", "", "", ""], GOOD[0], same])
    assert set(_row_results(_upload(client, variant.encode())).values()) == {"already imported"}
    # A third identical row is a new need; the first two are known.
    more = _upload(client, _csv([same, GOOD[0], same, same]).encode())
    assert list(_row_results(more).values()) == ["already imported"] * 3 + ["new"]


def test_uuid_column_is_the_key(signed_in, node_home):
    client = signed_in("facilitator")
    key = str(uuid.uuid4())
    header = ["uuid", "text", "language", "goals", "groups", "supporters", "captured_at"]
    rows = [
        [
            key.upper(),
            "Daraja limevunjika.",
            "sw",
            "9; 11",
            "disability low-income",
            "12",
            "2026-11-24",
        ]
    ]
    _import(client, _upload(client, _csv(rows, header).encode()), "all")
    [need] = _needs(node_home)
    assert need["uuid"] == key and need["goals"] == "[9, 11]" and need["supporters"] == 12
    assert need["groups"] == '["disability", "low-income"]'
    assert need["captured_at"] == "2026-11-24"
    # Same uuid, other words: an error on that row, not a second need.
    rows[0][1] = "Something else entirely."
    result = _row_results(_upload(client, _csv(rows, header).encode()))
    assert "already used for a different need" in result[2]
    assert len(_needs(node_home)) == 1
    # Within one file: the same uuid twice is one need, or an error if the words differ.
    key2 = str(uuid.uuid4())
    twice = [[key2, "Soko halina choo.", "sw", "", "", "", ""]] * 2
    twice.append([key2, "Soko halina maji.", "sw", "", "", "", ""])
    preview = _upload(client, _csv(twice, header).encode())
    result = _row_results(preview)
    assert result[2] == "new" and "same as row 2" in result[3]
    assert "Row 2 has the same uuid with other content" in result[4]
    _import(client, preview, "valid")
    assert len(_needs(node_home)) == 2


def test_excel_dialects_bom_semicolon_and_utf16(signed_in, node_home):
    client = signed_in("facilitator")
    rows = [["Le puits est à sec; il faut réparer.", "fr", "water", "", "", "", ""],
            ["لا توجد قابلة في القرية", "ar", "health", "female", "", "", ""]]  # fmt: skip
    semicolon = codecs.BOM_UTF8 + _csv(rows, delimiter=";").encode("utf-8")
    preview = _upload(client, semicolon)
    assert list(_row_results(preview).values()) == ["new", "new"]
    utf16 = _csv(rows, delimiter="\t").encode("utf-16")  # Excel's "Unicode text"
    assert list(_row_results(_upload(client, utf16)).values()) == ["new", "new"]
    _import(client, preview, "all")
    assert [n["text"] for n in _needs(node_home)] == [rows[0][0], rows[1][0]]
    latin1 = _upload(client, _csv(rows[:1]).encode("latin-1"))
    assert latin1.status_code == 422 and "UTF-8" in latin1.get_data(as_text=True)
    unknown = _upload(client, _csv([["x"]], header=["txet"]).encode())
    assert unknown.status_code == 422 and "Unknown columns: txet" in unknown.get_data(as_text=True)


def test_large_upload_over_the_global_body_limit(signed_in, node_home):
    client = signed_in("facilitator")
    rows = [
        [f"Need number {i}: " + "maji " * 20, "sw", "water", "", "", "", ""] for i in range(800)
    ]
    content = _csv(rows).encode()
    assert len(content) > 65_536
    preview = _upload(client, content)
    assert preview.status_code == 200
    assert _import(client, preview, "all").status_code == 200
    assert len(_needs(node_home)) == 800
    # CSRF still applies to this view, and other views keep the 64 KB limit.
    no_token = client.post(
        "/capture/paper",
        data={"file": (io.BytesIO(content), "forms.csv")},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400
    assert client.post("/kiosk", data={"text": "x" * 70_000}).status_code == 413
