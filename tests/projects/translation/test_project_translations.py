"""A project's words in other languages, against the loopback fake Google (no mocked client):
refresh makes the rows, an edit survives later refreshes, a changed original makes an edited line
stale and a machine line new, failures keep every row, and the plan limits the languages."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from billing.errors import LimitExceeded
from projects.errors import NotEditable, ProjectsError
from projects.models import Photo, ProjectStatus, TextTranslation, VideoProject
from projects.services import project_create, project_update
from projects.services.translations import (
    NOT_CONFIGURED,
    BadLanguage,
    TranslationUnavailable,
    translation_edit,
    translation_lines,
    translation_reset,
    translations_delete,
    translations_for,
    translations_refresh,
    translations_summary,
)
from tests.conftest import clear_our_cache_keys

from .fake_google import FakeGoogle

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(settings: Any) -> Any:
    def use(name: str) -> None:
        settings.BILLING_DEFAULT_PLAN = name
        clear_our_cache_keys()

    use("pro")
    return use


def add_photo(project: VideoProject, caption: str, position: int) -> Photo:
    """A photo row only: these tests are about its words, not its pixels."""
    key = f"{project.public_id}/{position}"
    return Photo.objects.create(
        project=project,
        storage_key=f"{key}.jpg",
        thumbnail_key=f"{key}-t.jpg",
        original_name=f"IMG_{position}.JPG",
        width=640,
        height=480,
        size_bytes=1000,
        position=position,
        caption=caption,
        caption_source="user" if caption else "",
    )


@pytest.fixture
def trip(bob: User, plan: Any) -> VideoProject:
    project = project_create(owner=bob, title="Lisbon", language="en")
    project_update(project=project, story="We walked the coast.")
    add_photo(project, "Breakfast", 1)
    add_photo(project, "The tram", 2)
    add_photo(project, "", 3)  # the renderer writes its own caption, per language
    return project


def row(project: VideoProject, language: str, field: str, caption: str = "") -> TextTranslation:
    rows = project.translations.filter(language=language, field=field)
    if caption:
        rows = rows.filter(photo__caption=caption)
    return rows.get()


def test_refresh_translates_every_line_in_one_request(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    result = translations_refresh(user=bob, project=trip, language="ja")

    assert result.error is None
    assert (result.translated, result.created) == (4, 4)
    assert len(fake_google.received) == 1
    assert fake_google.bodies[0]["sourceLanguageCode"] == "en"
    assert fake_google.sent_texts == ["Lisbon", "We walked the coast.", "Breakfast", "The tram"]
    assert translations_for(project=trip, language="ja") == {
        "title": "[ja] Lisbon",
        "story": "[ja] We walked the coast.",
        "captions": {
            str(p.public_id): f"[ja] {p.caption}" for p in trip.photos.exclude(caption="")
        },
    }


def test_unchanged_lines_are_not_sent_again(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    clear_our_cache_keys()  # so only our rows can spare the request
    result = translations_refresh(user=bob, project=trip, language="ja")
    assert (result.translated, result.unchanged) == (0, 4)
    assert len(fake_google.received) == 1


def test_an_edit_survives_a_refresh_while_changed_lines_are_translated_again(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    translation_edit(translation=row(trip, "ja", "title"), text="  リスボン \n 旅 ")
    project_update(project=trip, title="Lisbon in July", story="We walked the whole coast.")

    result = translations_refresh(user=bob, project=trip, language="ja")

    assert fake_google.sent_texts[-1:] == ["We walked the whole coast."]
    assert (result.translated, result.kept_edits, result.stale, result.unchanged) == (1, 1, 1, 2)
    title = row(trip, "ja", "title")
    assert (title.text, title.edited) == ("リスボン 旅", True)
    assert row(trip, "ja", "story").text == "[ja] We walked the whole coast."
    lines = {
        line.field + line.source: line for line in translation_lines(project=trip, language="ja")
    }
    assert lines["titleLisbon in July"].stale and lines["titleLisbon in July"].edited
    assert not lines["storyWe walked the whole coast."].stale
    assert translations_for(project=trip, language="ja")["title"] == "リスボン 旅"


def test_editing_a_stale_line_makes_it_current_and_reset_translates_it_again(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    title = translation_edit(translation=row(trip, "ja", "title"), text="Mine")
    project_update(project=trip, title="Lisbon 2023")
    title.refresh_from_db()
    assert title.source_text == "Lisbon"  # stale
    title = translation_edit(translation=row(trip, "ja", "title"), text="Mine again")
    assert title.source_text == "Lisbon 2023"

    title = translation_reset(translation=row(trip, "ja", "title"))
    assert (title.text, title.edited) == ("[ja] Lisbon 2023", False)


def test_edits_are_plain_text_within_the_source_fields_limits(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="de")
    with pytest.raises(ProjectsError) as caught:
        translation_edit(translation=row(trip, "de", "title"), text="x" * 121)
    assert caught.value.fields == {"text": ["At most 120 characters."]}
    translation_edit(translation=row(trip, "de", "story"), text="y" * 600)
    with pytest.raises(ProjectsError):
        translation_edit(translation=row(trip, "de", "caption", "Breakfast"), text="z" * 201)


def test_removed_photos_and_cleared_lines_lose_their_rows(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    translation_edit(translation=row(trip, "ja", "story"), text="mine")
    trip.photos.get(caption="Breakfast").delete()
    project_update(project=trip, story="")
    result = translations_refresh(user=bob, project=trip, language="ja")
    assert result.removed == 1  # the story; the photo's row went with the photo
    assert sorted(trip.translations.values_list("field", flat=True)) == ["caption", "title"]


@pytest.mark.parametrize("mode", ["server_error", "slow"])
def test_a_failure_keeps_every_row_and_says_so(
    fake_google: FakeGoogle, trip: VideoProject, bob: User, mode: str
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    translation_edit(translation=row(trip, "ja", "title"), text="Mine")
    project_update(project=trip, story="Changed")
    add_photo(trip, "New one", 4)
    before = {r.pk: r.text for r in trip.translations.all()}
    fake_google.mode = mode

    result = translations_refresh(user=bob, project=trip, language="ja")

    assert result.error is not None
    assert result.error_message.startswith("Translation failed: ")
    assert result.error_message.endswith("Your own words are kept.")
    after = {r.pk: r.text for r in trip.translations.all()}
    assert {pk: after[pk] for pk in before} == before  # nothing lost or changed
    assert row(trip, "ja", "caption", "New one").text == ""  # a blank line to fill in
    assert translations_for(project=trip, language="ja")["story"] == "[ja] We walked the coast."

    fake_google.mode = "ok"
    result = translations_refresh(user=bob, project=trip, language="ja")
    assert result.error is None and result.translated == 2
    assert row(trip, "ja", "title").text == "Mine"


def test_without_google_the_lines_are_made_blank_for_the_user_to_write(
    trip: VideoProject, bob: User
) -> None:
    result = translations_refresh(user=bob, project=trip, language="fr")
    assert result.error is not None and result.error_message == NOT_CONFIGURED
    assert list(trip.translations.values_list("text", flat=True)) == ["", "", "", ""]
    translation_edit(translation=row(trip, "fr", "title"), text="Lisbonne")
    assert translations_for(project=trip, language="fr")["title"] == "Lisbonne"
    assert translations_for(project=trip, language="fr")["story"] == "We walked the coast."
    with pytest.raises(TranslationUnavailable) as caught:
        translation_reset(translation=row(trip, "fr", "title"))
    assert caught.value.status == 503 and row(trip, "fr", "title").text == "Lisbonne"


def test_the_plan_limits_the_languages_the_projects_own_included(
    fake_google: FakeGoogle, trip: VideoProject, bob: User, plan: Any
) -> None:
    plan("free")
    with pytest.raises(LimitExceeded) as caught:
        translations_refresh(user=bob, project=trip, language="ja")
    assert (caught.value.limit, caught.value.allowed) == ("languages_per_video", 1)
    plan("plus")
    translations_refresh(user=bob, project=trip, language="ja")
    with pytest.raises(LimitExceeded) as caught:
        translations_refresh(user=bob, project=trip, language="de")
    assert (caught.value.current, caught.value.allowed) == (3, 2)
    translations_refresh(user=bob, project=trip, language="ja")  # an existing one: fine
    translations_delete(project=trip, language="ja")
    translations_refresh(user=bob, project=trip, language="de")
    assert [s["language"] for s in translations_summary(project=trip)] == ["de"]


@pytest.mark.parametrize("language", ["en", "xx", "ar-XX", ""])
def test_only_the_sites_other_languages(trip: VideoProject, bob: User, language: str) -> None:
    with pytest.raises(BadLanguage):
        translations_refresh(user=bob, project=trip, language=language)


def test_a_project_being_rendered_is_fixed(
    fake_google: FakeGoogle, trip: VideoProject, bob: User
) -> None:
    translations_refresh(user=bob, project=trip, language="ja")
    VideoProject.objects.filter(pk=trip.pk).update(status=ProjectStatus.PROCESSING)
    trip.refresh_from_db()
    with pytest.raises(NotEditable):
        translations_refresh(user=bob, project=trip, language="ja")
    with pytest.raises(NotEditable):
        translation_edit(translation=row(trip, "ja", "title"), text="x")
