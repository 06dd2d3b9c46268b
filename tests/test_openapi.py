"""The OpenAPI document is valid and describes every API route."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    documented = {path for path in spec["paths"]}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "openapi.spec":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
            routes.add(path)
    assert routes == documented
    item = spec["components"]["schemas"]["SubmissionItem"]
    assert set(item["required"]) >= {"uuid", "survey", "version", "answers", "meta"}
