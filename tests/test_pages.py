"""Pages: languages and direction, page weight, no external hosts, mobile basics."""

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, format_decimal

from app import i18n

APP = Path(__file__).resolve().parents[1] / "app"
EXTERNAL = re.compile(r"""(?:https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}""", re.I)


@pytest.mark.parametrize("code", list(i18n.LOCALES))
def test_html_lang_and_dir_follow_the_chosen_language(client, code):
    client.set_cookie(i18n.COOKIE, code)
    page = client.get("/login").get_data(as_text=True)
    loc = i18n.LOCALES[code]
    assert f'<html lang="{loc.tag}" dir="{loc.dir}">' in page


def test_arabic_is_right_to_left(client):
    client.set_cookie(i18n.COOKIE, "ar")
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("pt-BR", "pt"),
        ("de-DE,sw;q=0.5", "sw"),
        ("de-DE", "en"),  # the node's default language
    ],
)
def test_accept_language(client, header, expected):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in page


def test_choice_beats_accept_language_and_survives(client):
    response = client.get("/lang/sw?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="sw"' in page


def test_language_switch_is_on_every_page_and_needs_no_javascript(client):
    page = client.get("/login").get_data(as_text=True)
    for loc in i18n.LOCALES.values():
        assert f'/lang/{loc.code}?next=/login' in page
    assert "<details" in page  # a native disclosure, no script


def test_unknown_language_code_is_ignored(client):
    response = client.get("/lang/xx?next=/")
    assert "Set-Cookie" not in response.headers


def test_numbers_are_formatted_per_locale(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert format_decimal(1234567.5) == "1\u202f234\u202f567,5"
        with force_locale("en"):
            assert format_decimal(1234567.5) == "1,234,567.5"
        with force_locale("hi"):
            assert format_decimal(1234567.5) == "12,34,567.5"


def test_login_page_with_its_css_weighs_under_60_kb(client):
    page = client.get("/login")
    total = len(page.data)
    html = page.get_data(as_text=True)
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    for url in assets:
        with client.get(url) as asset:
            total += len(asset.data)
    assert total < 60_000, total


def test_no_external_host_in_any_template_or_static_file():
    offenders = []
    for path in list((APP / "templates").rglob("*")) + list((APP / "static").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".svg", ".json", ".webmanifest"):
            for match in EXTERNAL.finditer(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(APP)}: {match.group(0)}")
    assert offenders == []


def test_pages_have_a_viewport_and_one_local_stylesheet(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count('rel="stylesheet"') == 1
    assert not EXTERNAL.search(page)


def test_home_page_shows_what_the_role_can_do(signed_in):
    page = signed_in("analyst").get("/").get_data(as_text=True)
    assert "analyst" in page
    assert "/admin/" not in page
    admin_page = signed_in("admin", "root").get("/").get_data(as_text=True)
    assert "/admin/" in admin_page


def test_friendly_error_page_for_people_json_for_the_api(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json["error"] == "not_found"


def test_admin_warns_when_disk_space_is_low(signed_in, monkeypatch):
    import shutil
    from collections import namedtuple

    client = signed_in("admin")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**10, 10**10 - 10**8, 10**8))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Free disk space is low" in page
