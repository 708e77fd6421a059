"""Audio notes without JavaScript: the capture form's file field (multipart,
kept while the form is corrected), a need captured by audio alone, playback on
the need's page for the council and the capturing facilitator only, and
typing what was said."""

import io
import re

from app.node import home
from app.store import audio as audio_store
from app.store import needs as needs_store
from schema.need import AUDIO_ONLY_TEXT

from .audio_helpers import MARKER, of_type, wav
from .conftest import login


def form_of(client) -> dict:
    html = client.get("/capture").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="audio" id="audio" accept="audio/\*" capture', html)
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "uuid": re.search(r'name="uuid" value="([^"]+)"', html).group(1),
    }


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body built in memory (the test client's own builder
    spools large bodies to a file it never closes)."""
    boundary = "----sauti-test-boundary-7d1f"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                  .encode() + str(value).encode() + b"\r\n")
    for name, (filename, data) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                  f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                  .encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post(client, form, data: bytes | None = None, filename="sauti.m4a", **fields):
    body = {**form, "language": "sw", "category": "water", **fields}
    files = {"audio": (filename, data)} if data is not None else {}
    raw, kind = multipart(body, files)
    return client.post("/capture", data=raw, content_type=kind)


def stored(node_home, ref):
    db = home.open_home(node_home).connect()
    try:
        need = needs_store.by_ref(db, ref)
        return need, audio_store.get(db, need["uuid"])
    finally:
        db.close()


def ref_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_need_captured_by_audio_alone(node_home, signed_in):
    client = signed_in("facilitator")
    form = form_of(client)
    ref = ref_of(post(client, form, of_type("audio/mp4"), text="  "))
    need, note = stored(node_home, ref)
    assert need["text"] == AUDIO_ONLY_TEXT and note["content_type"] == "audio/mp4"
    page = client.get(f"/needs/{ref}").get_data(as_text=True)
    assert "audio-note.svg" in page and "audio note" in page
    assert AUDIO_ONLY_TEXT not in page  # the marker is never shown as text
    assert f'<audio controls preload="none" src="/needs/{ref}/audio">' in page
    assert f'href="/needs/{ref}/edit">Type what was said' in page
    listing = client.get("/needs").get_data(as_text=True)
    assert "audio-note.svg" in listing and AUDIO_ONLY_TEXT not in listing
    played = client.get(f"/needs/{ref}/audio")
    assert played.status_code == 200 and played.data == of_type("audio/mp4")
    assert played.headers["Cache-Control"] == "no-store, private"


def test_text_and_audio_together(node_home, signed_in):
    client = signed_in("facilitator")
    ref = ref_of(post(client, form_of(client), wav(), text="Maji ni machafu"))
    need, note = stored(node_home, ref)
    assert need["text"] == "Maji ni machafu" and note["content_type"] == "audio/wav"


def test_neither_text_nor_audio_is_refused(node_home, signed_in):
    client = signed_in("facilitator")
    response = post(client, form_of(client), text="")
    assert response.status_code == 422
    assert 'id="text-error"' in response.get_data(as_text=True)


def test_the_recording_is_kept_while_the_form_is_corrected(node_home, signed_in):
    client = signed_in("facilitator")
    form = form_of(client)
    refused = post(client, form, wav(), text="", locality="TZ/elsewhere",
                   respondent_name="Mary Achieng")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "data-audio-kept" in html and "data-keep-uuid" in html
    assert f'name="uuid" value="{form["uuid"]}"' in html
    assert 'value="Mary Achieng"' in html  # what was typed stays
    # Sent again without choosing the file again: the kept recording goes with it.
    ref = ref_of(post(client, form, text=""))
    need, note = stored(node_home, ref)
    assert need["text"] == AUDIO_ONLY_TEXT and note is not None


def test_a_bad_file_is_refused_and_the_form_keeps_what_was_typed(node_home, signed_in):
    client = signed_in("facilitator")
    form = form_of(client)
    for data, message in (
        (b"%PDF-1.4 not a recording", "not a recording"),
        (of_type("audio/ogg") + b"\0" * 2_097_152, "at most 2 MB"),
    ):
        response = post(client, form, data, text="Barabara mbovu")
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html and 'id="audio-error"' in html and "Barabara mbovu" in html
    assert list((node_home / "audio").iterdir()) == []
    db = home.open_home(node_home).connect()
    assert needs_store.by_uuid(db, form["uuid"]) is None
    db.close()


def test_playback_only_for_the_council_and_the_capturing_facilitator(node_home, app, signed_in):
    from .conftest import add_user

    client = signed_in("facilitator", "amina")
    ref = ref_of(post(client, form_of(client), wav(), text=""))
    for role in ("council", "analyst", "admin", "facilitator"):
        add_user(node_home, f"{role}-2", role)
        other = app.test_client()
        login(other, f"{role}-2")
        page = other.get(f"/needs/{ref}").get_data(as_text=True)
        allowed = role == "council"
        assert (f'src="/needs/{ref}/audio"' in page) == allowed, role
        assert other.get(f"/needs/{ref}/audio").status_code == (200 if allowed else 403), role
        assert "audio-note.svg" in page  # everyone sees that it is an audio note
    assert app.test_client().get(f"/needs/{ref}/audio").status_code == 302  # sign in first


def test_the_council_need_page_plays_it(node_home, signed_in):
    client = signed_in("facilitator")
    ref = ref_of(post(client, form_of(client), wav(), text=""))
    need, _note = stored(node_home, ref)
    council = signed_in("council")
    page = council.get(f"/council/needs/{need['id']}").get_data(as_text=True)
    assert f'src="/needs/{ref}/audio"' in page and AUDIO_ONLY_TEXT not in page


def test_a_facilitator_types_what_was_said(node_home, signed_in):
    client = signed_in("facilitator")
    ref = ref_of(post(client, form_of(client), wav(), text=""))
    edit = client.get(f"/needs/{ref}/edit").get_data(as_text=True)
    assert AUDIO_ONLY_TEXT not in edit and "type what was said" in edit
    token = re.search(r'name="csrf_token" value="([^"]+)"', edit).group(1)
    # Saving other changes with the text still empty keeps it an audio note.
    saved = client.post(f"/needs/{ref}/edit", data={"csrf_token": token, "text": "", "supporters": "2"})
    assert saved.status_code == 303
    need, _ = stored(node_home, ref)
    assert need["text"] == AUDIO_ONLY_TEXT and need["supporters"] == 2
    saved = client.post(
        f"/needs/{ref}/edit", data={"csrf_token": token, "text": "Kisima kimeharibika"}
    )
    assert saved.status_code == 303
    need, note = stored(node_home, ref)
    assert need["text"] == "Kisima kimeharibika" and note is not None
    page = client.get(f"/needs/{ref}").get_data(as_text=True)
    assert "Kisima kimeharibika" in page and 'src="/needs/' in page


def test_a_resent_form_never_attaches_to_another_stored_need(node_home, signed_in):
    client = signed_in("facilitator")
    form = form_of(client)
    ref = ref_of(post(client, form, text="Hakuna dawa"))
    again = post(client, form, of_type("audio/ogg", marker=MARKER), text="Something else")
    assert again.status_code == 409
    _need, note = stored(node_home, ref)
    assert note is None and list((node_home / "audio").iterdir()) == []
