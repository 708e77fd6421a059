"""The OpenAPI document describes every API route, and is valid OpenAPI 3."""

from openapi_spec_validator import validate

from app.api.openapi import spec

DOCUMENTED_PREFIXES = ("/api/", "/open311/", "/healthz")


def _routes(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(DOCUMENTED_PREFIXES):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", "{" + arg + "}")
            path = path.replace(f"<string:{arg}>", "{" + arg + "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((path, method.lower()))
    return out


def test_the_document_matches_the_url_map(app):
    doc = spec()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == _routes(app)


def test_the_document_is_valid_openapi(app):
    validate(spec())


def test_it_is_served(app):
    answer = app.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.json["openapi"].startswith("3.")
