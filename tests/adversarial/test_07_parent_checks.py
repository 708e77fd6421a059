"""Attack 7: a parent applied whatever an enrolled child said (needs in a sibling's
ward or outside the region, 10,000,000 supporters, free-string categories and
languages, which then reached open data as formulas). Every record is now checked
against the shared schema and the tree, and every CSV cell that a spreadsheet would
run as a formula is neutralised."""

import csv
import io
import re
from pathlib import Path

import pytest

from app.privacy import csv_cells
from sync import inbox
from sync.errors import CorruptBundle
from tests.engines import ENGINES
from tests.sync_helpers import counts

from . import forge
from .conftest import KAWANGWARE

pytestmark = ENGINES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"locality": KAWANGWARE + "/x"}, "outside its node's locality"),
        ({"locality": "KE/01/nyeri"}, "outside its node's locality"),
        ({"supporters": 10_000_000}, "supporters"),
        ({"category": '=HYPERLINK("http://x","y")'}, "category"),
        ({"language": "=cmd|' /C calc'!A0"}, "language"),
        ({"week": "0202-W24"}, "week"),
        ({"week": "2025-W53"}, "week"),  # 2025 has 52 ISO weeks
        ({"goals": [18]}, "goals"),
    ],
)
def test_a_record_outside_the_schema_or_the_tree_is_refused_whole(family, fields, words):
    me = forge.identity(family.a)
    fields = {"locality": me["locality"], **fields}
    records = [("need", forge.need(1, me["locality"])), ("need", forge.need(2, **fields))]
    raw = forge.bundle_of(me, [forge.batch(me, records)])
    region = family.local(family.region)
    try:
        with pytest.raises(CorruptBundle, match=re.escape(words)):
            inbox.receive(region, raw)
    finally:
        region.close()
    assert counts(family.region)["need"] == 0
    alert = family.alerts()[0]
    assert alert["child"] == "Kangemi" and words in alert["message"]


def test_formula_cells_are_neutralised_in_every_csv_written():
    out = io.StringIO()
    writer = csv_cells.writer(out)
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "water", 12, -3]
    writer.writerow(cells)
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "water", "12", "-3"]
    # the project has one CSV writer: every other module goes through it
    writers = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))
    ]
    writers += [
        str(p.relative_to(ROOT))
        for p in (ROOT / "sync").rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))
    ]
    assert writers == ["app/privacy/csv_cells.py"]

