"""The OpenAPI schema: valid OpenAPI 3, every read endpoint in it, typed responses."""

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

READ_PATHS = [
    "/api/v1/units/",
    "/api/v1/units/{id}/",
    "/api/v1/officials/",
    "/api/v1/plans/",
    "/api/v1/plans/{id}/",
    "/api/v1/plans/{id}/achievements/{year}/",
    "/api/v1/indicators/",
    "/api/v1/periods/",
    "/api/v1/commitments/",
    "/api/v1/commitments/{id}/",
    "/api/v1/programs/",
    "/api/v1/programs/{id}/",
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
]


@pytest.fixture
def schema(api):
    response = api("dkiss").get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_lists_the_read_endpoints_with_typed_answers(schema):
    for path in READ_PATHS:
        operation = schema["paths"][path]["get"]
        content = operation["responses"]["200"]["content"]["application/json"]
        assert "$ref" in content["schema"], path


def test_schema_names_bearer_tokens(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/units/"]["get"]["security"]


def test_program_list_takes_the_pages_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/programs/"]["get"]["parameters"]}
    assert {
        "q",
        "unit",
        "category",
        "horizon",
        "commitment",
        "status",
        "state",
        "periode",
    } <= names
    assert "cursor" in names


def test_schema_needs_authentication(client):
    assert client.get("/api/v1/schema/").status_code == 401
