"""Helpers of the council tests: capture needs through the API, open the
node database, sign a council member in."""

import re
import uuid

from app.node import home
from app.store import users

from .conftest import sample_needs  # noqa: F401  (the council tests import it from here)


def capture(client, headers, text: str, **fields) -> dict:
    body = {"uuid": str(uuid.uuid4()), "text": text, "language": "en", **fields}
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def db_of(node_home):
    return home.open_home(node_home).connect()


def need_id(db, ref: str) -> int:
    return db.execute("SELECT id FROM needs WHERE ref = ?", [ref]).fetchone()[0]


def user_of(db, username: str) -> dict:
    row = users.by_name(db, username)
    return {"id": row["id"], "role": row["role"]}


def csrf(client, path: str = "/council/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
