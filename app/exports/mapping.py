"""The mapping from Sauti's codes to a receiving system's (DHIS2 org units, data
elements, category options): written with every export as mapping.json, read
back from an office's edited copy (`--mapping FILE`). Unmapped codes keep
Sauti's own; SEX and AGE default to the SDMX/SDG codes."""

import json
from pathlib import Path

from schema import vocab

SEX = {"female": "F", "male": "M", "other": "_O", "undisclosed": "_U"}
AGE = {
    "0-14": "Y0T14", "15-24": "Y15T24", "25-34": "Y25T34", "35-44": "Y35T44",
    "45-54": "Y45T54", "55-64": "Y55T64", "65+": "Y_GE65", "undisclosed": "_U",
}  # fmt: skip
TOTAL = "_T"
KEYS = ("localities", "categories", "genders", "age_bands")
MAX_BYTES = 5_000_000
MAX_CODE = 100


class MappingError(ValueError):
    """An unreadable mapping file; the message says what to fix."""


def default(localities, categories) -> dict:
    return {
        "localities": {code: code for code in sorted(localities)},
        "categories": {code: code.upper() for code in sorted(categories)},
        "genders": dict(SEX),
        "age_bands": dict(AGE),
        "total": TOTAL,
    }


def load(path: Path) -> dict:
    """An edited mapping: the keys above, each {sauti code: their code}."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MappingError(f"{path} is larger than {MAX_BYTES} bytes.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"cannot read {path}: {exc.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(f"{path} is not UTF-8 JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise MappingError(f"{path} must hold a JSON object like the mapping.json an export writes.")
    out: dict = {}
    for key in KEYS:
        part = data.get(key, {})
        if not isinstance(part, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and 0 < len(v.strip()) <= MAX_CODE
            for k, v in part.items()
        ):
            raise MappingError(
                f'"{key}" in {path} must map codes to non-empty texts of at most {MAX_CODE} characters.'
            )
        out[key] = {k: v.strip() for k, v in part.items()}
    total = data.get("total", TOTAL)
    if not isinstance(total, str) or not total.strip() or len(total) > MAX_CODE:
        raise MappingError(f'"total" in {path} must be a short non-empty text.')
    out["total"] = total.strip()
    return out


def merged(base: dict, edited: dict | None) -> dict:
    """BASE (every code in the data) with EDITED's codes where it maps them."""
    if not edited:
        return base
    out = {key: {code: edited.get(key, {}).get(code, mine) for code, mine in base[key].items()}
           for key in KEYS}  # fmt: skip
    out["total"] = edited.get("total", base["total"])
    return out


def known_codes() -> dict:
    return {"genders": vocab.GENDERS, "age_bands": vocab.AGE_BANDS}
