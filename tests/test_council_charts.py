"""SVG charts: the numbers drawn equal the data table's, no external
references, right-to-left mirrored; the dashboard renders them."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from markupsafe import Markup

from app.aggregate import charts
from app.store import triage

from .council_helpers import capture, need_id
from .test_council_triage import setup  # noqa: F401  (fixture)

SVG_NS = "{http://www.w3.org/2000/svg}"
EXTERNAL = re.compile(
    r"(?:https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE
)


class Tables(HTMLParser):
    """Every chart-data table as {caption: {row label: [cell texts]}} (body rows)."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.caption, self.row = {}, None, "", None
        self.in_body, self.text = False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "chart-data" in (dict(attrs).get("class") or ""):
            self.current, self.caption = {}, ""
        elif self.current is None:
            return
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("caption", "th", "td"):
            self.text = ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "caption":
            self.caption = self.text.strip()
        elif tag in ("th", "td") and self.row is not None:
            self.row.append(self.text.strip())
        elif tag == "tr" and self.row is not None:
            self.current[self.row[0]] = self.row[1:]
            self.row = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.tables[self.caption] = self.current
            self.current = None
        if tag in ("caption", "th", "td"):
            self.text = None


def _svgs(html: str) -> dict[str, dict[str, str]]:
    """{chart title: {bar label: number written beside the bar}} of every SVG."""
    found = {}
    for svg in re.findall(r"<svg .*?</svg>", html, re.DOTALL):
        root = ET.fromstring(svg)
        title = root.find(f"{SVG_NS}title").text
        bars = root.findall(f"{SVG_NS}rect")
        values = root.findall(f"{SVG_NS}text[@class='chart-value']")
        assert len(bars) == len(values)
        found[title] = {}
        for bar, value in zip(bars, values, strict=True):
            assert bar.get("data-value") == value.get("data-value")
            found[title][bar.get("data-label")] = value.text
    return found


def _number(text: str) -> int:
    return int(text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))


def test_chart_numbers_equal_the_table_numbers():
    rows = [
        {"k": "Water", "needs": 1234, "supporters": 5000},
        {"k": "Roads", "needs": 7, "supporters": 9},
    ]
    html = charts.figure(
        rows,
        label="k",
        value="needs",
        title="Needs",
        columns=[("needs", "needs"), ("supporters", "supporters")],
        number=lambda n: f"{n:,}",
    )
    assert isinstance(html, Markup)
    svg = _svgs(str(html))["Needs"]
    parser = Tables()
    parser.feed(str(html))
    table = parser.tables["Needs"]
    assert svg == {"Water": "1,234", "Roads": "7"}
    assert {label: cells[0] for label, cells in table.items()} == svg


def test_charts_escape_labels_reference_nothing_outside_and_mirror_for_rtl():
    rows = [{"k": '<script>"x"</script>', "v": 3}, {"k": "الماء", "v": 1}]
    ltr = str(charts.bar_chart(rows, label="k", value="v", title="T"))
    rtl = str(charts.bar_chart(rows, label="k", value="v", title="T", rtl=True))
    for svg in (ltr, rtl):
        assert "<script>" not in svg and not EXTERNAL.search(svg)
        assert "style=" not in svg and "<style" not in svg and "href" not in svg
        ET.fromstring(svg)  # well-formed
    assert 'direction="ltr"' in ltr and 'direction="rtl"' in rtl

    def bars(svg):  # (x, width) of every bar
        found = re.findall(r'<rect [^>]*x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
        return [(float(x), float(w)) for x, w in found]

    # bars grow from the other side: all from one left edge in ltr, one right edge in rtl
    middle = charts.WIDTH / 2
    assert len(bars(ltr)) == len(bars(rtl)) == 2
    assert len({x for x, _ in bars(ltr)}) == 1 and all(x < middle for x, _ in bars(ltr))
    assert len({round(x + w, 1) for x, w in bars(rtl)}) == 1
    assert all(x + w > middle for x, w in bars(rtl)) and all(x > 0 for x, _ in bars(rtl))


def test_suppress_hides_small_counts_and_one_complementary_cell():
    rows = [{"key": k, "needs": n} for k, n in [("a", 9), ("b", 2), ("c", 6), ("d", 12)]]
    shown, hidden = charts.suppress(rows, 5)
    assert [r["key"] for r in shown] == ["a", "d"]
    assert sorted(r["key"] for r in hidden) == ["b", "c"]
    assert [r["key"] for r in hidden if r.get("complementary")] == ["c"]
    shown, hidden = charts.suppress(rows, 2)
    assert hidden == []


def test_dashboard_charts_match_their_tables_in_english_and_arabic(setup, signed_in):  # noqa: F811
    db = setup["db"]
    for i, (category, gender, age) in enumerate(
        [
            ("water", "female", "15-24"),
            ("water", "male", "25-34"),
            ("health", "female", "15-24"),
            ("roads", "undisclosed", "65+"),
            ("water", "female", "35-44"),
        ]
    ):
        capture(
            *setup["api"],
            f"need {i}",
            category=category,
            gender=gender,
            age_band=age,
            supporters=i + 1,
            groups=["disability"] if i % 2 else [],
        )
    dup = capture(*setup["api"], "need dup", category="water", supporters=10)
    target = need_id(db, capture(*setup["api"], "need target", category="water")["ref"])
    triage.merge(db, need_id(db, dup["ref"]), target, user=setup["user"])
    db.execute(
        "INSERT INTO meetings(title, locality, date, opened_at) VALUES ('M', 'KE', '2026-01-05', 'x')"
    )
    db.execute(
        "INSERT INTO meeting_attendance VALUES (1, 'female', '15-24', 12), (1, 'male', '25-34', 7)"
    )
    client = setup["client"]
    for lang in ("en", "ar"):
        client.get(f"/lang/{lang}")
        html = client.get("/council/dashboard").get_data(as_text=True)
        assert not EXTERNAL.search(html.split("<main", 1)[1])
        svgs = _svgs(html)
        parser = Tables()
        parser.feed(html)
        assert len(svgs) == 9 and set(svgs) == set(parser.tables)
        for title, bars in svgs.items():
            table = parser.tables[title]
            assert {label: cells[0] for label, cells in table.items()} == bars, title
        if lang == "en":
            water = parser.tables["Needs by category"]["Water"]
            assert [_number(x) for x in water] == [
                4,
                1 + 2 + 5 + 11,
            ]  # the merged need is not counted
            assert parser.tables["Meeting attendance by gender"] == {
                "female": ["12"],
                "male": ["7"],
            }
            assert _number(parser.tables["Needs by group"]["people with disability"][0]) == 2
        else:
            assert '<html lang="ar" dir="rtl">' in html and 'direction="rtl"' in html
