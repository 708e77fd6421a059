"""Property: any interleaving of captures, edits, exports, imports, duplicated and
reordered deliveries and receipts ends with the parent holding what the child holds."""

import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.node import home
from app.store import events, needs, sync_shared, sync_state
from sync import http_receive, inbox, outbox
from sync.local import Local
from tests import engines
from tests.conftest import make_home
from tests.engines import ENGINES

pytestmark = ENGINES

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("capture"), st.integers(1, 4)),
        st.tuples(st.just("plus_one"), st.integers(0, 50)),
        st.tuples(st.just("export"), st.just(0)),
        st.tuples(st.just("import"), st.integers(0, 50)),
        st.tuples(st.just("receipt"), st.integers(0, 50)),
    ),
    max_size=14,
)


def _capture(db, supporters: int) -> None:
    need = {
        "uuid": str(uuid.uuid4()),
        "text": "Maji",
        "language": "sw",
        "category": "water",
        "goals": [6],
        "locality": "KE/47/westlands/kangemi",
        "gender": "female",
        "age_band": "undisclosed",
        "groups": [],
        "channel": "meeting",
        "supporters": supporters,
    }
    needs.insert(
        db,
        need,
        submission_hash=need["uuid"],
        on_insert=lambda d, row: events.append(d, "need", row["id"]),
    )


def _state(db_child, db_parent):
    child = sorted(
        (str(r[0]), r[1], r[2])
        for r in db_child.execute("SELECT id, supporters, status FROM needs")
    )
    parent = sorted(
        (r[0], r[1], r[2])
        for r in db_parent.execute("SELECT key, supporters, status FROM shared_needs")
    )
    return child, parent


@pytest.fixture(scope="module")
def fresh_homes(tmp_path_factory, engine):
    """Two new, unrelated node homes, made once; every example works on copies of them
    (a copy takes milliseconds, `init` a few hundred)."""
    made = tmp_path_factory.mktemp("made")
    return (
        make_home(made / "c"),
        make_home(made / "p", name="P", level="region", locality="KE/47"),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_any_interleaving_converges(fresh_homes, ops):
    with tempfile.TemporaryDirectory() as tmp:
        child_path = engines.copy_home(fresh_homes[0], Path(tmp) / "c")
        parent_path = engines.copy_home(fresh_homes[1], Path(tmp) / "p")
        child = Local.open(home.open_home(child_path))
        parent = Local.open(home.open_home(parent_path))
        try:
            sync_state.add_child(parent.db, "C", child.public_key)
            sync_state.set_parent(child.db, "http://127.0.0.1:9", parent.public_key)
            files, acks = [], []
            for op, arg in ops:
                if op == "capture":
                    _capture(child.db, arg)
                elif op == "plus_one":
                    ids = [r[0] for r in child.db.execute("SELECT id FROM needs")]
                    if ids:
                        needs.add_supporters(child.db, ids[arg % len(ids)], 1)
                elif op == "export":
                    built = outbox.build(child)
                    if built:
                        files.append(built[0])
                elif op == "import" and files:
                    raw = files[arg % len(files)]  # any file, again and again, any order
                    result = inbox.receive(parent, raw)
                    acks.append(http_receive.ack(parent, child.node_id, "0" * 64, result)["msg"])
                elif op == "receipt" and acks:
                    outbox.apply_ack(child, acks[arg % len(acks)])
            # finally everything still pending is delivered
            built = outbox.build(child)
            if built:
                result = inbox.receive(parent, built[0])
                outbox.apply_ack(child, http_receive.ack(parent, child.node_id, "", result)["msg"])
            assert outbox.build(child) is None
            want, got = _state(child.db, parent.db)
            assert got == want
            assert sync_shared.needs_summary(parent.db)["supporters"] == sum(s for _k, s, _ in want)
            assert sync_state.pending(child.db) == 0
        finally:
            child.close()
            parent.close()
