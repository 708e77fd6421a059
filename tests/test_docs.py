"""The docs are tested: every CLI command and every setting is in the README."""

from pathlib import Path

from app.cli import main
from app.node.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def commands(group, path=()):
    for name, sub in group.commands.items():
        if hasattr(sub, "commands"):
            yield from commands(sub, (*path, name))
        else:
            yield " ".join((*path, name))


def test_every_cli_command_is_documented():
    missing = [c for c in commands(main) if f"sauti {c}" not in README]
    assert missing == []


def test_every_setting_is_documented():
    missing = [key for key in SETTINGS if f"| `{key}` |" not in README]
    assert missing == []


def test_readme_shows_the_two_commands():
    assert "scripts/start" in README and "scripts/test" in README


def test_openapi_documents_the_contract_api(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/needs", "/api/v1/needs/{uuid}", "/api/v1/aggregates"):
        assert path in doc["paths"]
    need_in = doc["components"]["schemas"]["NeedIn"]
    assert {"uuid", "text", "language"} <= set(need_in["required"])
    assert "respondent" in need_in["properties"]
