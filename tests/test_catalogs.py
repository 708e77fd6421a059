"""Every interface language has a complete catalog: a test fails when a
catalog misses a message or keeps a fuzzy one."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import LOCALES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-o", str(pot), "app"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("code", [c for c in LOCALES if c != "en"])
def test_catalog_is_complete(template, code):
    path = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalog for {code}"
    with open(path, "rb") as f:
        catalog = read_po(f, locale=code.replace("zh_Hans", "zh_Hans_CN"))
    missing, fuzzy = [], []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = (found.string if isinstance(found.string, tuple) else (found.string,)) if found else ()
        if found is None or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
        elif found.fuzzy:
            fuzzy.append(message.id)
    assert missing == [], f"{code} misses {len(missing)}: {missing[:5]}"
    assert fuzzy == [], f"{code} has fuzzy: {fuzzy[:5]}"
