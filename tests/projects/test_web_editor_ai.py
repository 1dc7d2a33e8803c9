"""The editor's "Words by AI" panel as the server draws it: the switch and the privacy note, the
plan's allowance, the page without an AI key, suggestions beside the user's own words, and model
text escaped wherever it is shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from projects.models import (
    AiRequest,
    AiRequestStatus,
    Photo,
    Suggestion,
    SuggestionField,
    SuggestionState,
    VideoProject,
)
from projects.services import project_update
from tests.conftest import clear_our_cache_keys

pytestmark = pytest.mark.django_db(transaction=True)

NOT_SET_UP = (
    "AI writing is not set up on this site; captions come from your photos' dates and places."
)
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def ai_on(settings: Any) -> None:
    """AI configured on the server (the key is never used: nothing here asks the model)."""
    settings.OPENAI_API_KEY = "sk-test-not-used"
    settings.BILLING_DEFAULT_PLAN = "plus"
    clear_our_cache_keys()


def page(client: Any, project: VideoProject) -> str:
    response = client.get(f"/projects/{project.public_id}/")
    assert response.status_code == 200
    return str(response.content.decode())


def element(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    found = re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', html, re.S)
    assert found, element_id
    return found.group(0)


def drafted(project: VideoProject, *, text: str = "", reason: str = "") -> AiRequest:
    """A finished request with a title, story, order and caption suggestions, as the worker
    leaves them."""
    request = AiRequest.objects.create(
        project=project,
        owner=project.owner,
        status=AiRequestStatus.COMPLETED,
        model="gpt-4o-mini",
        photo_count=project.photos.count(),
        input_tokens=1234,
        output_tokens=210,
        cached_tokens=1000,
        sent_bytes=48_000,
    )
    photos = list(project.photos.order_by("position"))
    rows = [
        Suggestion(
            request=request, project=project, field=SuggestionField.TITLE, text=text or "Sea"
        ),
        Suggestion(
            request=request, project=project, field=SuggestionField.STORY, text=text or "Salt."
        ),
        Suggestion(
            request=request,
            project=project,
            field=SuggestionField.ORDER,
            order=[
                {"photo": str(p.public_id), "reason": reason or f"{p.original_name} first"}
                for p in reversed(photos)
            ],
        ),
    ]
    rows += [
        Suggestion(
            request=request,
            project=project,
            photo=p,
            field=SuggestionField.CAPTION,
            text=text or f"Waves {n}",
        )
        for n, p in enumerate(photos)
    ]
    Suggestion.objects.bulk_create(rows)
    return request


@pytest.fixture
def album(project: VideoProject, add_photo: Callable[..., Photo]) -> VideoProject:
    for n in range(2):
        add_photo(project, name=f"IMG_{n}.JPG")
    return project


def test_without_a_key_the_panel_says_so_and_offers_no_button(
    bob_client: Any, album: VideoProject
) -> None:
    project_update(project=album, ai_enabled=True)
    drafted(album)  # left from when a key was set: not shown without one
    html = page(bob_client, album)
    assert "Words by AI" in html and NOT_SET_UP in html
    assert 'id="ai-suggest"' not in html and 'id="ai-enabled"' not in html
    assert "data-state-url" not in html  # ai.js stays idle
    assert "ai-suggestion" not in html and "Waves 0" not in html


def test_the_switch_and_the_privacy_note(bob_client: Any, album: VideoProject, ai_on: None) -> None:
    html = page(bob_client, album)
    assert NOT_SET_UP not in html
    switch = element(html, "ai-enabled")
    assert 'role="switch"' in switch and "checked" not in switch
    assert "Suggest a title, captions and a story" in html
    assert "Include place names" in html
    for words in (
        "at most 768 pixels",
        "no location data, no file name and no camera data",
        "store=false",
        "Place names are sent only if you tick",
        "Your name and e-mail are never sent.",
    ):
        assert words in html, words
    assert "hidden" in element(html, "ai-body")  # off: nothing more until it is switched on
    assert f'data-state-url="/api/v1/projects/{album.public_id}/ai/"' in html
    assert '<script src="/static/projects/ai.js" defer>' in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline code
    assert 'href="#ai-panel"' in html


def test_switched_on_with_allowance_it_offers_suggest(
    bob_client: Any, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True, ai_places=True)
    html = page(bob_client, album)
    assert "checked" in element(html, "ai-enabled") and "checked" in element(html, "ai-places")
    assert "hidden" not in element(html, "ai-body")
    assert "hidden" not in element(html, "ai-suggest")
    assert "hidden" in element(html, "ai-plan")
    assert "0 of 30 this month" in html


def test_a_plan_without_allowance_shows_the_plan_message_and_upgrade(
    bob_client: Any, album: VideoProject, ai_on: None, settings: Any
) -> None:
    settings.BILLING_DEFAULT_PLAN = "free"
    clear_our_cache_keys()
    project_update(project=album, ai_enabled=True)
    html = page(bob_client, album)
    assert "hidden" not in element(html, "ai-plan")
    assert "AI suggestions are part of the Plus and Pro plans." in html
    plan = html[html.index('id="ai-plan"') :]
    assert plan.index('href="/pricing/"') < plan.index("</div>")
    assert "hidden" in element(html, "ai-suggest")


def test_a_used_up_allowance_says_so_and_offers_upgrade(
    bob_client: Any, bob: User, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True)
    AiRequest.objects.bulk_create(
        AiRequest(project=album, owner=bob, status=AiRequestStatus.COMPLETED) for _ in range(30)
    )
    html = page(bob_client, album)
    assert "You have used 30 of the 30 AI suggestions your plan includes this month." in html
    assert "hidden" not in element(html, "ai-plan") and "hidden" in element(html, "ai-suggest")
    assert "30 of 30 this month" in html


def test_suggestions_sit_beside_the_users_own_words(
    bob_client: Any, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True, story="Our own ending.")
    request = drafted(album)
    html = page(bob_client, album)
    # The title and story: the user's words, then the suggestion with its three choices.
    title = html[html.index('id="ai-title-slot"') : html.index('id="ai-story-slot"')]
    assert "Summer in Lisbon" in title and ">Sea<" in title
    assert all(f'data-ai-action="{a}"' in title for a in ("accept", "edit", "reject"))
    story = html[html.index('id="ai-story-slot"') : html.index('id="ai-order-slot"')]
    assert "Our own ending." in story and ">Salt.<" in story
    assert ">Our own ending.</textarea>" in html  # the story field in the settings form
    # Each caption on its photo's card, after the caption field.
    for n, photo in enumerate(album.photos.order_by("position")):
        card = html[html.index(f'data-id="{photo.public_id}"') :]
        card = card[: card.index("</li>")]
        assert card.index("data-caption") < card.index(f">Waves {n}<")
        assert f'aria-label="Suggested caption for {photo.original_name}"' in card
    # The order: each move with its reason, and "Use this order".
    order = html[html.index('id="ai-order-slot"') :]
    assert "2 → 1" in order and "IMG_1.JPG first" in order and "Use this order" in order
    assert "Accept all" in html and "hidden" not in element(html, "ai-all")
    # The request's cost.
    assert "1,234 tokens in (1,000 cached), 210 out." in html
    assert "2 photos sent (46.9\xa0KB) to gpt-4o-mini." in html
    assert request.suggestions.count() == 5


def test_decided_suggestions_show_their_state(
    bob_client: Any, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True)
    request = drafted(album)
    request.suggestions.filter(field=SuggestionField.TITLE).update(state=SuggestionState.ACCEPTED)
    request.suggestions.filter(field=SuggestionField.STORY).update(state=SuggestionState.REJECTED)
    request.suggestions.filter(field=SuggestionField.ORDER).update(
        state=SuggestionState.ACCEPTED, previous=["a"]
    )
    html = page(bob_client, album)
    assert 'class="ai-suggestion is-accepted"' in html
    assert 'class="ai-suggestion is-rejected"' in html
    order = html[html.index('id="ai-order-slot"') :]
    assert 'data-ai-action="undo"' in order and "Use this order" not in order


def test_suggestions_stay_hidden_while_ai_is_off(
    bob_client: Any, album: VideoProject, ai_on: None
) -> None:
    drafted(album)
    html = page(bob_client, album)
    assert "Waves 0" not in html and "ai-suggestion is-" not in html
    assert "ai-is-off" in element(html, "editor")


def test_model_text_is_escaped_everywhere_it_is_shown(
    bob_client: Any, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True)
    drafted(album, text=EVIL, reason=EVIL)
    html = page(bob_client, album)
    assert "<script>alert" not in html and "<img src=x" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    # title, story, two captions and two reasons
    assert html.count(escaped) == 6


def test_the_story_is_saved_with_the_settings_form(bob_client: Any, project: VideoProject) -> None:
    response = bob_client.post(
        f"/projects/{project.public_id}/settings",
        {
            "title": "Lisbon",
            "story": "We came back  \n every summer.",
            "style": "classic",
            "aspect": "16:9",
            "resolution": "1080p",
            "music": "default",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.story == "We came back every summer."


def test_another_users_suggestions_are_not_theirs_to_see(
    client: Any, charlie: User, album: VideoProject, ai_on: None
) -> None:
    project_update(project=album, ai_enabled=True)
    drafted(album)
    client.force_login(charlie)
    assert client.get(f"/projects/{album.public_id}/").status_code == 404
