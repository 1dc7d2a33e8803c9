"""The OpenAPI schema says what a generated mobile client needs: the error body of every failure,
binary file fields, typed enums and nested shapes, paging, and meaningful names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from projects.api.schema import DOMAIN_ERRORS
from projects.models import Aspect, ProjectStatus, Resolution, Style
from rendering.models import VideoStatus

pytestmark = pytest.mark.django_db

ERROR = "#/components/schemas/Error"
PLAN_LIMIT_ERROR = "#/components/schemas/PlanLimitError"

# operation → the failures it must document (beyond its success), as a client must handle them.
EXPECTED_ERRORS: dict[str, set[int]] = {
    "projects_list": {401},
    "projects_create": {400, 401, 402, 403, 415},
    "projects_retrieve": {401, 404},
    "projects_update": {400, 401, 402, 403, 404, 409, 415},
    "projects_delete": {401, 403, 404},
    "projects_music_upload": {400, 401, 403, 404, 409, 413, 415, 429},
    "photos_list": {401, 404},
    "photos_upload": {400, 401, 402, 403, 404, 409, 413, 415, 429},
    "photos_upload_start": {400, 401, 402, 403, 404, 409, 413, 415, 429},
    "photos_upload_finish": {400, 401, 402, 403, 404, 409, 413, 415, 429},
    "photos_reorder": {400, 401, 403, 404, 409, 415},
    "photos_sort_by_date": {401, 403, 404, 409},
    "photos_retrieve": {401, 404},
    "photos_update": {400, 401, 403, 404, 409, 415},
    "photos_delete": {401, 403, 404, 409},
    "projects_render": {400, 401, 402, 403, 404, 415},  # 415: a body that is not JSON
    "videos_list": {401, 404},
    "videos_retrieve": {401, 404},
    "videos_cancel": {401, 403, 404, 409},
    "videos_retry": {400, 401, 402, 403, 404, 409},
    "me_retrieve": {401},
    "me_update": {400, 401, 403, 415},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(response.json())


def operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def component(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    return dict(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]])


def prop_ref(schema: dict[str, Any], name: str, prop: str) -> str:
    """The component a property of ``name`` refers to (through a nullable allOf wrapper too)."""
    field = component(schema, name)["properties"][prop]
    field = field["items"] if field.get("type") == "array" else field
    return str((field.get("allOf") or field.get("oneOf") or [field])[0]["$ref"])


def test_every_operation_of_the_contract_is_there_by_its_id(schema: dict[str, Any]) -> None:
    assert set(EXPECTED_ERRORS) <= set(operations(schema))
    # The schema's table of domain errors names real operations (a renamed one would drop out).
    assert set(DOMAIN_ERRORS) <= set(operations(schema))


@pytest.mark.parametrize("operation_id", sorted(EXPECTED_ERRORS))
def test_each_failure_an_operation_can_give_is_documented_with_the_error_body(
    schema: dict[str, Any], operation_id: str
) -> None:
    responses = operations(schema)[operation_id]["responses"]
    documented = {int(code) for code in responses if int(code) >= 400}
    assert documented == EXPECTED_ERRORS[operation_id]
    for code in documented:
        body = responses[str(code)]["content"]["application/json"]["schema"]["$ref"]
        assert body == (PLAN_LIMIT_ERROR if code == 402 else ERROR), (operation_id, code)
        assert responses[str(code)]["description"]


def test_the_error_body_is_one_shape_and_402_adds_the_limit(schema: dict[str, Any]) -> None:
    error = component(schema, ERROR)
    assert error["required"] == ["error"]
    detail = component(schema, error["properties"]["error"]["$ref"])
    assert set(detail["required"]) == {"code", "message", "fields"}
    assert detail["properties"]["code"]["type"] == "string"
    assert detail["properties"]["message"]["type"] == "string"
    fields = detail["properties"]["fields"]
    assert fields["type"] == "object"
    assert fields["additionalProperties"] == {"type": "array", "items": {"type": "string"}}

    limit_error = component(schema, PLAN_LIMIT_ERROR)
    limit_detail = component(schema, limit_error["properties"]["error"]["$ref"])
    assert set(limit_detail["required"]) == {"code", "message", "fields", "limit"}
    limit = component(schema, limit_detail["properties"]["limit"]["$ref"])
    assert set(limit["required"]) == {"name", "current", "allowed", "upgrade_url"}


def test_throttled_uploads_say_when_to_try_again(schema: dict[str, Any]) -> None:
    throttled = operations(schema)["photos_upload"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"]["schema"] == {"type": "integer"}


@pytest.mark.parametrize("operation_id", ["photos_upload", "projects_music_upload"])
def test_uploads_are_multipart_with_a_binary_file(
    schema: dict[str, Any], operation_id: str
) -> None:
    content = operations(schema)[operation_id]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    body = component(schema, content["multipart/form-data"]["schema"]["$ref"])
    assert body["properties"]["file"] == {"type": "string", "format": "binary"}
    assert "file" in body["required"]


def test_json_operations_take_json_only(schema: dict[str, Any]) -> None:
    # A generator given JSON, form and multipart bodies of one model cannot tell which to send.
    for operation_id in ("projects_create", "projects_update", "photos_update", "me_update"):
        assert list(operations(schema)[operation_id]["requestBody"]["content"]) == [
            "application/json"
        ]


@pytest.mark.parametrize(
    ("name", "prop", "enum", "values"),
    [
        ("Project", "style", "Style", Style.values),
        ("Project", "aspect", "Aspect", Aspect.values),
        ("Project", "resolution", "Resolution", Resolution.values),
        ("Project", "status", "ProjectStatus", ProjectStatus.values),
        ("Project", "language", "Language", [code for code, _ in settings.VIDEO_LANGUAGES]),
        ("Project", "music", "ProjectMusic", ["default", "none", "uploaded"]),
        ("ProjectCreate", "style", "Style", Style.values),
        ("ProjectCreate", "language", "Language", [code for code, _ in settings.VIDEO_LANGUAGES]),
        ("ProjectUpdate", "music", "MusicSetting", ["default", "none"]),
        ("User", "language", "AppLanguage", [code for code, _ in settings.LANGUAGES]),
        ("UserUpdate", "language", "AppLanguage", [code for code, _ in settings.LANGUAGES]),
        ("Video", "status", "VideoStatus", VideoStatus.values),
        (
            "Video",
            "stage",
            "VideoStage",
            ["preparing", "fetching photos", "analysing photos", "rendering", "publishing"],
        ),
    ],
)
def test_choices_are_named_enums(
    schema: dict[str, Any], name: str, prop: str, enum: str, values: list[str]
) -> None:
    ref = prop_ref(schema, name, prop)
    assert ref == f"#/components/schemas/{enum}"
    assert sorted(component(schema, ref)["enum"]) == sorted(values)


def test_enum_members_carry_the_code_names(schema: dict[str, Any]) -> None:
    aspect = component(schema, "#/components/schemas/Aspect")
    assert dict(zip(aspect["enum"], aspect["x-enum-varnames"], strict=True)) == {
        "16:9": "LANDSCAPE",
        "9:16": "PORTRAIT",
        "1:1": "SQUARE",
    }


def test_skipped_photos_and_the_subject_box_have_their_shapes(schema: dict[str, Any]) -> None:
    skipped = component(schema, "Video")["properties"]["skipped"]
    assert skipped["type"] == "array"
    item = component(schema, skipped["items"]["$ref"])
    assert item["properties"] == {"name": {"type": "string"}, "reason": {"type": "string"}}
    box = component(schema, prop_ref(schema, "Photo", "subject_box"))
    assert set(box["properties"]) == {"x", "y", "w", "h"}
    assert {p["type"] for p in box["properties"].values()} == {"number"}


@pytest.mark.parametrize("operation_id", ["projects_list", "photos_list", "videos_list"])
def test_lists_document_their_paging(schema: dict[str, Any], operation_id: str) -> None:
    parameters = {
        p["name"]: p for p in operations(schema)[operation_id]["parameters"] if p["in"] == "query"
    }
    assert set(parameters) == {"limit", "offset"}
    assert all(p["schema"]["type"] == "integer" for p in parameters.values())
    page = component(
        schema,
        operations(schema)[operation_id]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["$ref"],
    )
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_components_have_meaningful_unique_names(schema: dict[str, Any]) -> None:
    names = set(schema["components"]["schemas"])
    assert {"User", "UserUpdate", "Project", "ProjectCreate", "ProjectUpdate"} <= names
    assert {"Photo", "PhotoUpdate", "PhotoUpload", "Video", "Error"} <= names
    generic = {n for n in names if n in {"Input", "Output"} or n.startswith("Patched")}
    generic |= {n for n in names if n.endswith(("Input", "Output", "Serializer"))}
    assert generic == set()


def test_operations_describe_themselves_not_our_base_classes(schema: dict[str, Any]) -> None:
    for operation_id, operation in operations(schema).items():
        assert "Base for" not in operation.get("description", ""), operation_id


def test_there_is_one_schema_url(client: Client) -> None:
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/schema/").status_code == 404


def test_the_schema_validates_without_a_warning(tmp_path: Path) -> None:
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 0
