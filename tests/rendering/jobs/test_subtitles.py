"""Subtitles: every render stores a WebVTT track of its words beside the MP4 (on the moto S3 the
tests run as production does), the API lists it with a short-lived link, the web player offers
it as a <track> served same-origin, and ``burn_text`` leaves the words out of the picture only."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.test import Client
from django.urls import reverse

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import project_create, project_update
from rendering.models import GeneratedVideo, VideoStatus
from rendering.pipeline.ass import build_ass
from rendering.services import video_render, video_request_render, video_retry
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

DIALOGUE_STYLE = re.compile(r"^Dialogue: 0,[^,]*,[^,]*,([a-z_]+),", re.M)
TRACK = re.compile(r"<track [^>]*>")


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 2.5
    settings.RENDER_TICK = 0.1


@pytest.fixture
def written_ass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ASS documents burned into the videos."""
    documents: list[str] = []

    def recording(timeline: Any) -> str:
        document = build_ass(timeline)
        documents.append(document)
        return document

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    return documents


@pytest.fixture
def holiday(bob: User, media: Storage, add_photo: Callable[..., Photo]) -> VideoProject:
    """A French project: a title and captions with characters WebVTT must escape."""
    project = project_create(owner=bob, title="Été <à> la mer & co", resolution="720p")
    project_update(project=project, language="fr", story="Trois jours de soleil.")
    for index, (colour, caption) in enumerate(
        [((200, 120, 60), "Pique-nique <3 & vin"), ((60, 140, 200), "La plage\nle soir")]
    ):
        photo = add_photo(project, jpeg_bytes((640, 480), colour=colour), name=f"IMG_{index}.JPG")
        Photo.objects.filter(pk=photo.pk).update(caption=caption)
    return project


def s3_object(media: Storage, key: str) -> dict[str, Any]:
    client = media.connection.meta.client  # type: ignore[attr-defined]
    return client.get_object(Bucket=media.bucket.name, Key=key)  # type: ignore[attr-defined,no-any-return]


def test_a_render_without_burned_words_stores_them_as_webvtt_listed_by_the_api_and_the_page(
    bob: User,
    charlie: User,
    holiday: VideoProject,
    media: Storage,
    written_ass: list[str],
) -> None:
    video, _ = video_request_render(user=bob, project=holiday, burn_text=False)
    assert video.spec["burn_text"] is False and video.spec["language"] == "fr"
    assert video_render(video_id=video.pk) == "completed"
    video.refresh_from_db()
    assert video.status == VideoStatus.COMPLETED

    # No word of the memory is drawn; the Free plan's watermark (a plan rule) still is.
    [document] = written_ass
    assert DIALOGUE_STYLE.findall(document) == ["watermark"]

    # Stored beside the MP4: same key with .vtt, as text/vtt in UTF-8.
    key = video.output_key.removesuffix(".mp4") + ".vtt"
    assert video.subtitles == [{"language": "fr", "key": key}]
    assert key in video.object_keys()
    stored = s3_object(media, key)
    assert stored["ContentType"] == "text/vtt; charset=utf-8"
    vtt = stored["Body"].read().decode("utf-8")
    assert vtt.startswith("WEBVTT\n\nNOTE language: fr\n")
    for words in (
        "Été &lt;à&gt; la mer &amp; co",
        "Pique-nique &lt;3 &amp; vin",
        "La plage\nle soir",
        "Trois jours de soleil.",
    ):
        assert f"\n{words}\n" in vtt
    assert "PhotoMemory" not in vtt  # the watermark is no subtitle

    # The API: the track with its own name for the language and a short-lived link that opens
    # the file without a cookie (presigned, like video_url).
    api = Client()
    api.force_login(bob)
    detail = api.get(f"/api/v1/projects/{holiday.public_id}/videos/{video.public_id}/").json()
    assert detail["burn_text"] is False
    [track] = detail["subtitles"]
    assert (track["language"], track["label"]) == ("fr", "Français")
    assert "X-Amz-Signature" in track["url"] and "X-Amz-Expires" in track["url"]
    with urllib.request.urlopen(track["url"], timeout=10) as answer:  # noqa: S310 - moto loopback
        assert answer.headers["Content-Type"] == "text/vtt; charset=utf-8"
        assert answer.read().decode("utf-8") == vtt
    listed = api.get(f"/api/v1/projects/{holiday.public_id}/videos/").json()["results"]
    assert listed[0]["subtitles"][0]["language"] == "fr"

    # The web player: a same-origin <track>, default for a French viewer, not for an English
    # one (the viewer's language is the one saved on their profile); and a download link.
    User.objects.filter(pk=bob.pk).update(language="fr")
    page = api.get(reverse("project-editor", args=[holiday.public_id]), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    url = reverse("video-file", args=[holiday.public_id, video.public_id, "vtt"]) + "?lang=fr"
    [tag] = TRACK.findall(html)
    assert 'kind="subtitles"' in tag and 'srclang="fr"' in tag and 'label="Français"' in tag
    assert f'src="{url}"' in tag and " default" in tag
    assert f'href="{url}"' in html  # the download link
    User.objects.filter(pk=bob.pk).update(language="en")
    english = api.get(
        reverse("project-editor", args=[holiday.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    [tag] = TRACK.findall(english.content.decode())
    assert " default" not in tag
    # The next render's box remembers the choice.
    assert re.search(r'<input type="checkbox" name="burn_text"[^>]*id="burn-text">', html)

    # Served by our own view even on S3 (no redirect to another origin), to its owner only.
    served = api.get(url)
    assert served.status_code == 200, served.status_code
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert served.content.decode("utf-8") == vtt
    assert api.get(url.replace("lang=fr", "lang=de")).status_code == 404
    other = Client()
    other.force_login(charlie)
    assert other.get(url).status_code == 404
    assert (
        other.get(f"/api/v1/projects/{holiday.public_id}/videos/{video.public_id}/").status_code
        == 404
    )


def test_burned_words_are_in_the_picture_and_in_the_track(
    bob: User, holiday: VideoProject, media: Storage, written_ass: list[str]
) -> None:
    video, _ = video_request_render(user=bob, project=holiday)
    assert video.spec["burn_text"] is True
    assert video_render(video_id=video.pk) == "completed"
    [document] = written_ass
    assert {"title", "caption", "story", "watermark"} <= set(DIALOGUE_STYLE.findall(document))
    video.refresh_from_db()
    [track] = video.subtitles
    assert "Pique-nique &lt;3 &amp; vin" in s3_object(media, track["key"])["Body"].read().decode()


# --- asking for it ----------------------------------------------------------------------------


@pytest.fixture
def bob_client(client: Client, bob: User) -> Client:
    client.force_login(bob)
    return client


def test_the_api_takes_burn_text_as_a_json_boolean_only(
    bob_client: Any, bob_project: VideoProject
) -> None:
    url = f"/api/v1/projects/{bob_project.public_id}/render/"
    refused = bob_client.post(url, {"burn_text": "false"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["burn_text"] == ["Must be true or false."]
    assert not GeneratedVideo.objects.exists()

    made = bob_client.post(url, {"burn_text": False}, content_type="application/json")
    assert made.status_code == 202, made.content
    assert made.json()["burn_text"] is False and made.json()["subtitles"] == []
    assert GeneratedVideo.objects.get().spec["burn_text"] is False


def test_the_api_draws_the_words_when_the_body_is_left_out(
    bob_client: Any, bob_project: VideoProject
) -> None:
    url = f"/api/v1/projects/{bob_project.public_id}/render/"
    assert bob_client.post(url, {"burn_text": "off"}).status_code == 415  # a form is no JSON
    made = bob_client.post(url)  # the empty form a bare POST sends
    assert made.status_code == 202, made.content
    assert GeneratedVideo.objects.get().spec["burn_text"] is True


@pytest.mark.parametrize(
    ("posted", "burned"), [(["off"], False), (["off", "on"], True), ([], True)]
)
def test_the_editor_render_form_says_whether_to_draw_the_words(
    bob_client: Any, bob_project: VideoProject, posted: list[str], burned: bool
) -> None:
    response = bob_client.post(
        reverse("project-render", args=[bob_project.public_id]), {"burn_text": posted}
    )
    assert response.status_code == 302
    assert GeneratedVideo.objects.get().spec["burn_text"] is burned


def test_a_retry_keeps_the_choice(bob: User, bob_project: VideoProject) -> None:
    video, _ = video_request_render(user=bob, project=bob_project, burn_text=False)
    GeneratedVideo.objects.filter(pk=video.pk).update(status=VideoStatus.FAILED)
    video.refresh_from_db()
    again = video_retry(video=video)
    assert again.pk != video.pk and again.spec["burn_text"] is False
