"""The repository stands on its own: its tests carry their data (tests/data/) and read
nothing beside the repository.

Two proofs: the audit hook in conftest.py fails any test that reads under the
repository's parent folder outside the repository (checked here on a path that is
not there), and a copy of the repository's files alone in an empty folder collects
every test and passes the ones that read the sample data."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from tests import conftest
from tests.conftest import BESIDE, DATA, READ_BESIDE, ROOT, SAMPLE


def test_the_sample_data_is_inside_the_repository():
    assert DATA == ROOT / "tests" / "data" and SAMPLE.parent == DATA
    records = conftest.sample_needs()
    assert len(records) == 24 and all("pii" in r and r["text"] for r in records)
    assert (DATA / "README.md").is_file()


def test_the_audit_hook_records_reads_beside_the_repository():
    before = len(READ_BESIDE)
    missing = BESIDE / f"not-{ROOT.name}-{os.getpid()}" / "needs.jsonl"
    try:
        with pytest.raises(FileNotFoundError):
            open(missing, encoding="utf-8")  # the audit event comes before the failure
        with pytest.raises(FileNotFoundError):
            os.listdir(missing.parent)
        found = READ_BESIDE[before:]
        assert found == [("open", str(missing)), ("os.listdir", str(missing.parent))]
    finally:
        del READ_BESIDE[before:]  # this test's own reads were on purpose
    # inside the repository, in the temp folder and in the interpreter: never recorded
    for path in (ROOT / "tests" / "data", SAMPLE, tempfile.gettempdir(), sys.prefix):
        assert conftest._beside(str(path)) is None, path
    assert conftest._beside(str(BESIDE / "a-sibling-folder" / "data" / "x.jsonl")) is not None
    assert conftest._beside(f"file:{BESIDE / 'other.db'}?mode=ro") is not None
    assert conftest._beside(str(ROOT) + "-other") is not None  # a sibling, not inside


def _project_files() -> list[str]:
    """What the repository holds: tracked files plus new ones not ignored, as they are
    in the working tree now."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True, timeout=60,
    ).stdout.decode().split("\0")
    return [name for name in listed if name and (ROOT / name).is_file()]


@pytest.mark.skipif(
    not (ROOT / ".git").exists() or shutil.which("git") is None,
    reason="needs a git checkout (this is a copy, or git is missing)",
)
def test_a_copy_alone_in_an_empty_folder_collects_and_passes(tmp_path):
    alone = tmp_path / "alone"
    copy = alone / "sauti"
    files = _project_files()
    assert "tests/data/needs_sample.jsonl" in files
    for name in files:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert [p.name for p in alone.iterdir()] == ["sauti"]  # nothing beside it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST"))}

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=120
        )

    # the copy's own code and data are the ones imported, not this checkout's
    where = run("-c", "import app, sync, tests.conftest as c; print(app.__file__, sync.__file__, c.DATA)")
    assert where.returncode == 0, where.stderr
    assert all(p.startswith(str(copy) + os.sep) for p in where.stdout.split()), where.stdout

    collected = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", collected.stdout, re.M), collected.stdout[-3000:]
    assert not re.search(r"\berrors?\b|^ERROR", collected.stdout, re.M), collected.stdout[-3000:]

    sample_tests = run(
        "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_scrub.py::test_sample_record_leaks_no_planted_pii",
        "tests/test_scrub.py::test_sample_record_without_pii_is_unchanged",
        "tests/test_public_status.py::test_lookup_shows_status_and_scrubbed_text_never_personal_data",
        "tests/test_standalone.py::test_the_sample_data_is_inside_the_repository",
        "tests/test_standalone.py::test_the_audit_hook_records_reads_beside_the_repository",
    )
    output = sample_tests.stdout + sample_tests.stderr
    assert sample_tests.returncode == 0, output[-3000:]
    assert " passed" in output and "skipped" not in output and "read outside" not in output
