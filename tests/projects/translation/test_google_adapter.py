"""The Google adapter against the loopback fake: what the official client really sends."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import AnonymousCredentials

from projects.translation import Translation, TranslationUnauthorized, get_translator
from projects.translation.batching import batches
from projects.translation.config import translation_settings
from projects.translation.google_adapter import GoogleTranslator
from projects.translation.offline import OfflineTranslator

from .conftest import FAKE_API_KEY, FAKE_PROJECT
from .fake_google import FakeGoogle


def test_the_request_is_plain_text_with_the_api_key(fake_google: FakeGoogle) -> None:
    translator = get_translator()
    assert isinstance(translator, GoogleTranslator)
    result = translator.translate(["Hello <b>&", "World"], target="ja", source="en")
    assert result == [Translation("[ja] Hello <b>&", "en"), Translation("[ja] World", "en")]
    (request,) = fake_google.received
    assert request.path.startswith(f"/v3/projects/{FAKE_PROJECT}/locations/global:translateText")
    assert request.headers["x-goog-api-key"] == FAKE_API_KEY
    assert "authorization" not in request.headers
    assert request.body == {
        "contents": ["Hello <b>&", "World"],
        "mimeType": "text/plain",
        "sourceLanguageCode": "en",
        "targetLanguageCode": "ja",
    }


def test_without_a_source_the_detected_language_is_returned(fake_google: FakeGoogle) -> None:
    result = get_translator().translate(["Hola"], target="ar", source=None)
    assert result == [Translation("aloH", "en")]  # the fake "reverses" into Arabic
    assert "sourceLanguageCode" not in fake_google.bodies[0]


def test_chinese_script_tags_are_sent_by_region(fake_google: FakeGoogle) -> None:
    get_translator().translate(["Hi"], target="zh-Hans", source=None)
    assert fake_google.bodies[0]["targetLanguageCode"] == "zh-CN"


def test_the_endpoint_setting_is_honoured(fake_google: FakeGoogle) -> None:
    translator = get_translator()
    assert isinstance(translator, GoogleTranslator)
    assert translator.client.api_endpoint == fake_google.url
    assert len(fake_google.received) == 0
    get_translator().translate(["x"], target="de", source=None)
    assert len(fake_google.received) == 1


def test_an_empty_endpoint_means_googles_own(settings: Any) -> None:
    settings.GOOGLE_TRANSLATE_API_KEY = FAKE_API_KEY
    settings.GOOGLE_TRANSLATE_PROJECT_ID = FAKE_PROJECT
    settings.GOOGLE_TRANSLATE_API_ENDPOINT = ""
    translator = get_translator()
    assert isinstance(translator, GoogleTranslator)
    assert translator.client.api_endpoint == "translate.googleapis.com"  # no request is made


def test_many_short_lines_go_in_requests_of_at_most_1024(fake_google: FakeGoogle) -> None:
    texts = [f"line {i}" for i in range(2100)]
    result = get_translator().translate(texts, target="fr", source="en")
    assert [len(b["contents"]) for b in fake_google.bodies] == [1024, 1024, 52]
    assert [t.text for t in result] == [f"[fr] line {i}" for i in range(2100)]


def test_long_lines_go_in_requests_of_at_most_30000_codepoints(fake_google: FakeGoogle) -> None:
    texts = [f"{i:03d}" + "é" * 247 for i in range(300)]  # 250 codepoints, more bytes
    result = get_translator().translate(texts, target="fr", source="en")
    assert [len(b["contents"]) for b in fake_google.bodies] == [120, 120, 60]
    assert all(sum(map(len, b["contents"])) <= 30_000 for b in fake_google.bodies)
    assert [t.text for t in result] == [f"[fr] {t}" for t in texts]


def test_a_line_over_the_limit_goes_alone() -> None:
    assert [len(b) for b in batches(["a", "b" * 30_001, "c"])] == [1, 1, 1]
    assert list(batches([])) == []


def test_anonymous_credentials_send_no_key(fake_google: FakeGoogle) -> None:
    translator = GoogleTranslator(translation_settings(), credentials=AnonymousCredentials())
    assert translator.translate(["x"], target="it", source="en") == [Translation("[it] x", "en")]
    headers = fake_google.received[0].headers
    assert "x-goog-api-key" not in headers and "authorization" not in headers


def _service_account_file(tmp_path: Path, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = tmp_path / "service-account.json"
    info = {
        "type": "service_account",
        "project_id": FAKE_PROJECT,
        "private_key_id": "fake-key-id",
        "private_key": pem,
        "client_email": "translate@pm-test-project.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info))
    return path


def test_a_service_account_file_signs_in_and_sends_a_bearer_token(
    fake_google: FakeGoogle, settings: Any, tmp_path: Path
) -> None:
    settings.GOOGLE_TRANSLATE_API_KEY = ""
    settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = str(
        _service_account_file(tmp_path, f"{fake_google.url}/token")
    )
    translator = get_translator()
    assert translator.configured
    assert translator.translate(["x"], target="ja", source="en") == [Translation("[ja] x", "en")]
    # With a REST transport the client signs its own JWT with the account's key (no trip to the
    # token endpoint): the bearer is that JWT, issued by the account, for this API.
    (request,) = fake_google.received
    scheme, jwt = request.headers["authorization"].split(" ")
    claims = json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "=="))
    assert scheme == "Bearer"
    assert claims["iss"] == "translate@pm-test-project.iam.gserviceaccount.com"
    assert "cloud-translation" in claims.get("scope", claims.get("aud", ""))
    assert "x-goog-api-key" not in request.headers


@pytest.mark.parametrize(
    ("key", "credentials_file", "project", "google"),
    [
        ("k", "", "p", True),
        ("", "/secrets/sa.json", "p", True),
        ("k", "", "", False),  # v3 cannot name a request without a project
        ("", "", "p", False),
        ("", "", "", False),
    ],
)
def test_google_is_picked_only_when_configured(
    settings: Any, key: str, credentials_file: str, project: str, google: bool
) -> None:
    settings.GOOGLE_TRANSLATE_API_KEY = key
    settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = credentials_file
    settings.GOOGLE_TRANSLATE_PROJECT_ID = project
    assert translation_settings().configured is google
    if not google:
        translator = get_translator()
        assert isinstance(translator, OfflineTranslator)
        assert translator.configured is False


def test_an_unreadable_credentials_file_is_refused_credentials(
    fake_google: FakeGoogle, settings: Any, tmp_path: Path
) -> None:
    settings.GOOGLE_TRANSLATE_API_KEY = ""
    settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = str(tmp_path / "missing.json")
    translator = get_translator()  # does not fail: the file is read on first use
    with pytest.raises(TranslationUnauthorized):
        translator.translate(["x"], target="ja", source=None)
    assert fake_google.received == []
