"""Build a demo node full of realistic multilingual needs (seeded, repeatable)."""

import datetime as dt
import random
import secrets
import uuid
from pathlib import Path

from app.auth import passwords
from app.demo.council import council_work
from app.node import home, settings
from app.store import needs as needs_store
from app.store import users
from schema.need import NeedInSchema, submission_hash
from schema.vocab import AGE_BANDS, GENDERS, GROUPS

from .text import FIRST_NAMES, PHRASES, TAILS

LOCALITY = "KE/47/westlands"
PLACES = ["kangemi", "mountain-view", "kitisuru"]
LANG_WEIGHTS = {"sw": 35, "en": 20, "ar": 15, "zh-Hans": 10, "fr": 10, "es": 10}
ROLES = [("admin", "admin"), ("amina", "council"), ("peter", "facilitator"), ("grace", "analyst")]
CREDENTIALS = "demo-credentials.txt"
NEEDS = 240


def credentials(path: Path) -> list[tuple[str, str, str]]:
    lines = (Path(path) / CREDENTIALS).read_text().splitlines()
    return [tuple(line.split("\t")) for line in lines if line]


def _need(rng: random.Random, index: int, start: dt.datetime) -> dict:
    category = rng.choice(list(PHRASES))
    language = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
    text = " ".join(
        part
        for part in (rng.choice(PHRASES[category][language]), rng.choice(TAILS[language]))
        if part
    )
    place = rng.choices(PLACES, weights=[5, 3, 2])[0]
    gender = rng.choices(GENDERS, weights=[48, 40, 2, 10])[0]
    groups = [g for g in GROUPS if rng.random() < 0.07]
    if category == "housing" and rng.random() < 0.5:
        groups.append("displaced")
    need = {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "text": text,
        "language": language,
        "category": category,
        "locality": f"{LOCALITY}/{place}",
        "gender": gender,
        "age_band": rng.choices(AGE_BANDS, weights=[2, 25, 22, 18, 12, 8, 6, 7])[0],
        "groups": sorted(set(groups)),
        "channel": rng.choices(
            ["facilitator", "meeting", "paper", "sms", "self"], weights=[50, 30, 10, 5, 5]
        )[0],
        "supporters": rng.choices([1, 2, 3, 5, 8, 12, 20], weights=[50, 15, 10, 10, 7, 5, 3])[0],
        "captured_at": (start + dt.timedelta(hours=index * 9 + rng.randint(0, 8))).isoformat(
            timespec="minutes"
        ),
    }
    if rng.random() < 0.3:
        need["respondent"] = {
            "name": rng.choice(FIRST_NAMES[language]),
            "contact": f"07{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        }
        need["consent"] = True
    return need


def build(path: Path, *, seed: int = 47, progress=print) -> None:
    path = Path(path)
    home.init_home(
        path,
        name="Westlands (demo)",
        level="district",
        locality=LOCALITY,
        language="en",
        country="KE",
    )
    db = home.open_home(path).connect()
    rng = random.Random(seed)
    try:
        lines = []
        ids = {}
        for username, role in ROLES:
            password = secrets.token_urlsafe(9)
            ids[role] = users.add(db, username, role, passwords.hash_password(password))
            lines.append(f"{username}\t{role}\t{password}")
        cred = path / CREDENTIALS
        cred.touch(mode=0o600)
        cred.write_text("\n".join(lines) + "\n")
        progress(f"{len(ROLES)} demo users")
        schema = NeedInSchema(node_locality=LOCALITY)
        start = dt.datetime(2026, 8, 3, 8, 0, tzinfo=dt.UTC)
        for i in range(NEEDS):
            need = schema.load(_need(rng, i, start))
            needs_store.insert(
                db,
                need,
                submission_hash=submission_hash(need),
                ref_prefix=needs_store.ref_prefix(need["locality"]),
                captured_by=ids["facilitator"],
            )
        progress(f"{NEEDS} needs in {len(LANG_WEIGHTS)} languages across {len(PLACES)} localities")
        council_work(db, {"id": ids["council"], "role": "council"})
        settings.set_value(db, "kiosk", "on")
        progress("council work: merged look-alikes, meetings, priorities and actions; kiosk on")
    finally:
        db.close()
