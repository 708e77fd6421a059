"""No client mistake is a 500, on any route: every rule of the app's URL map,
every method, signed out, as admin, as council member and with a token, with
hostile query strings, path values and bodies (deep JSON, lone surrogates,
numbers past Python's 4,300-digit limit and SQLite's integers, control
characters, invalid UTF-8)."""

import datetime as dt
import json
import logging
import re
import secrets

import pytest

from app.store import sessions, users
from tests.conftest import add_token, add_user
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

BIG = "9" * 4400
FIELDS = ["text", "title", "name", "key", "url", "username", "password", "role", "value",
          "budget", "goal", "goals", "category", "locality", "supporters", "reason", "note",
          "status", "into_ref", "language", "label", "code", "icon", "description",
          "service_code", "email", "phone", "ref", "need", "priority", "date", "due_date",
          "attended", "women", "men", "youth", "k", "From", "Body", "page", "per_page", "q",
          "next", "current", "new", "again", "prefix", "active", "step", "uuid", "what",
          "responsible", "rank", "position", "name_sw", "name_ar", "consent"]  # fmt: skip
QUERY = "&".join([
    "page=999999999999999999", "per_page=1" + "0" * 30, f"goal={BIG}", f"round={BIG}",
    "q=a%00%1b%0d%0a%ed%a0%80", "next=/%09/evil", "status=%00", "category=%ed%a0%80",
    f"by=locality:{BIG}", "locality=" + "KE/" * 300, "start_date=" + BIG, "end_date=2020-13-45",
    f"origin={BIG}", f"ref={BIG}", f"meeting={BIG}", "lang=%0d%0a", "imported=%ff",
    "done=%ed%a0%80", "name=" + "x" * 5000, "fp=%00",
])  # fmt: skip
DEEP = "[" * 30_000 + "]" * 30_000  # under the 64 KB body limit
BODIES = [
    ("json", DEEP),
    ("json", json.dumps({k: "\ud800x" for k in FIELDS})),
    ("json", "{" + ",".join(f'"{k}": {BIG}' for k in FIELDS) + "}"),
    ("json", '{"uuid": "8d0f5c2e-4a43-4c1e-9a55-0f3f1e1c2b3a", "text": "\\ud800 maji",'
             ' "language": "sw", "respondent": {"name": "\\udfff"}, "consent": true}'),
    ("json", '{"uuid": "8d0f5c2e-4a43-4c1e-9a55-0f3f1e1c2b3b", "text": "maji \\u0000\\u001b",'
             f' "language": "sw", "goals": [{BIG}], "supporters": {BIG}}}'),
    ("json", b'{"text": "\xed\xa0\x80\xff"}'),
    ("form", {k: BIG for k in FIELDS}),
    ("form", {k: "a\x00\x1b\r\n\u202e\u2028" for k in FIELDS}),
    ("raw", "&".join(f"{k}=%ED%A0%80%ff%fe" for k in FIELDS)),
]  # fmt: skip
PATH_VALUES = {"IntegerConverter": ["99999999999999999999999", "9223372036854775807"],
               "default": ["%ED%A0%80", "%0D%0Ax", "x" * 3000]}  # fmt: skip


class _Failures(logging.Handler):
    def __init__(self):
        super().__init__()
        self.seen = []

    def emit(self, record):
        if record.exc_info:
            self.seen.append(f"{record.exc_info[0].__name__}: {record.exc_info[1]}"[:200])


def _session_client(app, node_home, username):
    from app.node import home

    client = app.test_client()
    session_id = secrets.token_urlsafe(32)
    db = home.open_home(node_home).connect()
    try:
        sessions.create(db, session_id, users.by_name(db, username)["id"], dt.timedelta(hours=1))
    finally:
        db.close()
    with client.session_transaction() as s:
        s["sid"] = session_id
    return client


def _csrf(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _paths(rule):
    if not rule.arguments:
        return [rule.rule]
    out = []
    for n in range(2):
        path = rule.rule
        for name in rule.arguments:
            kind = type(rule._converters[name]).__name__
            values = PATH_VALUES.get(kind, PATH_VALUES["default"])
            path = re.sub(r"<[^>]*\b" + name + ">", values[n % len(values)], path)
        out.append(path)
    return out


@pytest.mark.parametrize("who", ["anonymous", "admin", "council", "token"])
def test_no_route_answers_500_to_hostile_input(app, node_home, who):
    add_user(node_home, "boss", "admin")
    add_user(node_home, "amina", "council")
    headers = {}
    if who == "token":
        client = app.test_client()
        headers["Authorization"] = "Bearer " + add_token(node_home, "amina")
    elif who == "anonymous":
        client = app.test_client()
    else:
        client = _session_client(app, node_home, "boss" if who == "admin" else "amina")
    token = _csrf(client)
    headers.setdefault("X-CSRFToken", token)
    watcher = _Failures()
    logging.getLogger("app.errors").addHandler(watcher)
    failures = []
    try:
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or rule.rule == "/logout":
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for path in _paths(rule):
                    attempts = [dict(query_string=QUERY)]
                    if method == "POST":
                        for kind, body in BODIES:
                            if kind == "json":
                                attempts.append(dict(data=body, content_type="application/json"))
                            elif kind == "form":
                                attempts.append(dict(data={**body, "csrf_token": token}))
                            else:
                                attempts.append(dict(
                                    data=f"{body}&csrf_token={token}",
                                    content_type="application/x-www-form-urlencoded"))  # fmt: skip
                    for attempt in attempts:
                        status = client.open(path, method=method, headers=headers, **attempt).status_code
                        if status >= 500:
                            failures.append((method, path[:60], status, watcher.seen[-1:]))
    finally:
        logging.getLogger("app.errors").removeHandler(watcher)
    assert failures == [], failures[:10]
    assert watcher.seen == []


def test_huge_page_numbers_are_clear_answers(api):
    client, headers = api("council")
    assert client.get("/api/v1/needs?per_page=" + "9" * 5000, headers=headers).json["per_page"] == 200
    answer = client.get("/api/v1/needs?page=999999999999999999", headers=headers)
    assert answer.status_code == 422 and "page" in answer.json["details"]
    answer = client.get(f"/api/v1/needs?goal={BIG}", headers=headers)
    assert answer.status_code == 422 and "goal" in answer.json["details"]


def test_deep_json_and_lone_surrogates_are_malformed_bodies(api):
    client, headers = api("facilitator")
    for body in (DEEP, '{"uuid": "8d0f5c2e-4a43-4c1e-9a55-0f3f1e1c2b3a", "text": "\\ud800",'
                       ' "language": "sw"}'):  # fmt: skip
        answer = client.post("/api/v1/needs", data=body, headers=headers,
                             content_type="application/json")  # fmt: skip
        assert answer.status_code == 400 and answer.json["error"] == "malformed_json"
