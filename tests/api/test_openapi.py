"""The OpenAPI 3.1 description: structure checked by hand (openapi-spec-validator is not in
the stack), every $ref resolves, every v1 endpoint is described."""

import json
import re

import pytest
from django.urls import get_resolver, reverse

from relais.api.enums import Scope
from relais.api.openapi import openapi_document

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
JSON_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _schemas(node):
    """Every dict that sits where a JSON Schema is expected (``schema``, ``properties``…)."""
    if isinstance(node, dict):
        if "type" in node and not isinstance(node.get("type"), dict):
            yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from _schemas(item)


@pytest.fixture
def document():
    return openapi_document()


def test_top_level_structure(document):
    assert document["openapi"] == "3.1.0"
    assert {"title", "version"} <= set(document["info"])
    assert document["servers"][0]["url"]
    assert set(document) <= {"openapi", "info", "servers", "paths", "components", "security",
                             "tags", "externalDocs", "webhooks", "jsonSchemaDialect"}  # fmt: skip
    json.dumps(document)  # serialisable as is


def test_operations_are_complete(document):
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            assert method in HTTP_METHODS
            operation_ids.append(operation["operationId"])
            assert operation["summary"]
            assert operation["responses"], path
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d|default", status)
                assert response["description"]
            for parameter in operation.get("parameters", []):
                assert {"name", "in", "schema"} <= set(parameter)
                assert parameter["in"] in {"query", "header", "path", "cookie"}
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(document):
    for ref in _refs(document):
        assert ref.startswith("#/")
        node = document
        for part in ref[2:].split("/"):
            node = node[part]
        assert isinstance(node, dict)


def test_schema_types_are_json_schema_types(document):
    for schema in _schemas(document["components"]["schemas"]):
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert set(types) <= JSON_TYPES, schema


def test_security_scheme_and_scopes(document):
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearerAuth": []}]
    for scope in Scope.values:
        assert scope in scheme["description"]
    assert document["paths"]["/openapi.json"]["get"]["security"] == []


def test_every_v1_endpoint_is_described(document):
    resolver = get_resolver()
    described = set(document["paths"])
    for name in ("stats", "activities", "openapi"):
        path = reverse(f"api:{name}").removeprefix("/api/v1")
        assert path in described, path
    assert resolver  # the API urls are mounted


@pytest.mark.django_db
def test_served_as_json_without_a_token(client):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"
    assert response.json()["servers"][0]["url"].endswith("/api/v1")
