"""The translations API against the fake Google: shapes, the plan's 402, bad languages, strict
fields, the 503 of a reset without a translator, and the editor panel's first drawing."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import project_create
from tests.conftest import clear_our_cache_keys

from .fake_google import FakeGoogle

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def pro(settings: Any) -> None:
    settings.BILLING_DEFAULT_PLAN = "pro"
    clear_our_cache_keys()


@pytest.fixture
def trip(bob: User) -> VideoProject:
    project = project_create(owner=bob, title="Lisbon", language="en")
    Photo.objects.create(
        project=project,
        storage_key="k.jpg",
        thumbnail_key="k-t.jpg",
        original_name="IMG_1.JPG",
        width=640,
        height=480,
        size_bytes=1000,
        position=1,
        caption="Breakfast",
        caption_source="user",
    )
    return project


def url(project: VideoProject, rest: str = "") -> str:
    return f"/api/v1/projects/{project.public_id}/translations/{rest}"


def test_refresh_then_edit_then_refresh_keeps_the_edit(
    bob_client: Any, trip: VideoProject, fake_google: FakeGoogle, pro: None
) -> None:
    state = bob_client.get(url(trip)).json()
    assert state["configured"] is True and state["languages"] == [] and state["allowed"] == 7
    assert "ja" in [c["code"] for c in state["available"]]
    assert "en" not in [c["code"] for c in state["available"]]

    body = bob_client.post(url(trip, "ja/refresh/"), {}, content_type=JSON).json()
    assert body["error"] is None and body["translated"] == 2
    title, caption = body["lines"]
    assert (title["field"], title["source"], title["text"]) == ("title", "Lisbon", "[ja] Lisbon")
    assert caption["photo_id"] == str(trip.photos.get().public_id)
    assert caption["max_length"] == 200

    edited = bob_client.patch(
        url(trip, f"ja/{title['id']}/"), {"text": "リスボン"}, content_type=JSON
    ).json()
    assert (edited["text"], edited["edited"], edited["stale"]) == ("リスボン", True, False)
    trip.title = "Lisbon 2023"
    trip.save()
    body = bob_client.post(url(trip, "ja/refresh/"), {}, content_type=JSON).json()
    assert (body["lines"][0]["text"], body["lines"][0]["stale"]) == ("リスボン", True)
    summary = bob_client.get(url(trip)).json()["languages"]
    assert summary == [
        {"language": "ja", "name": "日本語", "lines": 2, "translated": 2, "edited": 1, "stale": 1}
    ]

    reset = bob_client.post(url(trip, f"ja/{title['id']}/reset/"), {}, content_type=JSON).json()
    assert (reset["text"], reset["edited"], reset["stale"]) == ("[ja] Lisbon 2023", False, False)

    assert bob_client.delete(url(trip, "ja/")).status_code == 204
    assert bob_client.get(url(trip, "ja/")).status_code == 404


def test_a_failed_refresh_answers_200_with_the_error_and_the_kept_lines(
    bob_client: Any, trip: VideoProject, fake_google: FakeGoogle, pro: None
) -> None:
    fake_google.mode = "server_error"
    response = bob_client.post(url(trip, "de/refresh/"), {}, content_type=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["error"]["code"] == "translation_server_error"
    assert body["error"]["message"].endswith("Your own words are kept.")
    assert [line["text"] for line in body["lines"]] == ["", ""]


def test_the_plan_limit_is_a_402_naming_it(
    bob_client: Any, trip: VideoProject, fake_google: FakeGoogle
) -> None:
    response = bob_client.post(url(trip, "ja/refresh/"), {}, content_type=JSON)  # Free
    assert response.status_code == 402
    limit = response.json()["error"]["limit"]
    assert (limit["name"], limit["allowed"]) == ("languages_per_video", 1)
    assert limit["upgrade_url"]


@pytest.mark.parametrize("language", ["en", "xx", "EN"])
def test_a_language_the_site_does_not_offer_is_a_400(
    bob_client: Any, trip: VideoProject, pro: None, language: str
) -> None:
    response = bob_client.post(url(trip, f"{language}/refresh/"), {}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_language"


def test_without_google_lines_are_written_by_hand_and_reset_is_503(
    bob_client: Any, trip: VideoProject, pro: None
) -> None:
    body = bob_client.post(url(trip, "fr/refresh/"), {}, content_type=JSON).json()
    assert body["configured"] is False
    assert body["error"]["code"] == "translation_not_configured"
    assert "you can still write each line yourself" in body["error"]["message"]
    line = body["lines"][0]
    for bad in (123, None, ["x"]):
        response = bob_client.patch(
            url(trip, f"fr/{line['id']}/"), {"text": bad}, content_type=JSON
        )
        assert response.status_code == 400
    too_long = bob_client.patch(
        url(trip, f"fr/{line['id']}/"), {"text": "x" * 121}, content_type=JSON
    )
    assert too_long.json()["error"]["fields"] == {"text": ["At most 120 characters."]}
    bob_client.patch(url(trip, f"fr/{line['id']}/"), {"text": "Lisbonne"}, content_type=JSON)
    response = bob_client.post(url(trip, f"fr/{line['id']}/reset/"), {}, content_type=JSON)
    assert response.status_code == 503
    assert bob_client.get(url(trip, "fr/")).json()["lines"][0]["text"] == "Lisbonne"


def test_a_line_is_found_only_under_its_own_language(
    bob_client: Any, trip: VideoProject, pro: None
) -> None:
    line = bob_client.post(url(trip, "fr/refresh/"), {}, content_type=JSON).json()["lines"][0]
    response = bob_client.patch(url(trip, f"de/{line['id']}/"), {"text": "x"}, content_type=JSON)
    assert response.status_code == 404
    assert bob_client.delete(url(trip, "de/")).status_code == 404  # never added


def test_the_editor_draws_the_languages_panel(
    bob_client: Any, trip: VideoProject, pro: None
) -> None:
    bob_client.post(url(trip, "ja/refresh/"), {}, content_type=JSON)
    html = bob_client.get(f"/projects/{trip.public_id}/").content.decode()
    assert 'id="translations-panel"' in html
    assert f'data-translations-url="{url(trip)}"' in html
    assert "Machine translation is not set up on this site" in html  # no Google here
    assert '<option value="de">Deutsch</option>' in html
    assert '<option value="en">' not in html  # the project's own
    assert "projects/translations.js" in html
