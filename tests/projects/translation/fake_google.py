"""A fake Cloud Translation v3 on loopback, speaking its REST wire format.

It answers ``POST /v3/projects/{project}/locations/global:translateText``, what the official
client's ``translate_text`` sends over its REST transport.

The client talks to it over real HTTP, so tests see what is actually
sent: path, headers (the API key travels as ``x-goog-api-key``) and the JSON body. The answer is a
pseudo-translation, ``"[<target>] " + text`` (reversed for ``ar`` and ``he``), with
``detectedLanguageCode`` only when the request named no source, as the real service does.
``mode`` switches it to a failure; ``failures_left`` makes a failure last that many requests,
``ok_first`` makes it start after that many.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import send_json, serving

MODES = (
    "ok",
    "slow",
    "unauthorized",
    "forbidden",
    "rate_limited",
    "server_error",
    "malformed",
    "short",
    "bad_request",
)
PATH = re.compile(r"^/v3/projects/(?P<project>[^/]+)/locations/global:translateText$")
DETECTED = "en"  # what the fake "detects" when no source is given


def pseudo(text: str, target: str) -> str:
    return text[::-1] if target in ("ar", "he") else f"[{target}] {text}"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def _error(status: int, reason: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": f"fake {reason}", "status": reason}}


class FakeGoogle:
    def __init__(self) -> None:
        self.mode = "ok"
        self.retry_after: str | None = "7"
        self.slow_seconds = 3.0
        self.failures_left: int | None = None  # fail this many requests, then answer "ok"
        self.ok_first: int | None = None  # answer this many requests "ok", then fail
        self.received: list[Received] = []
        self.url = ""

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received]

    @property
    def sent_texts(self) -> list[str]:
        return [text for body in self.bodies for text in body.get("contents", [])]

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        mode = self.mode
        if self.ok_first is not None and len(self.received) <= self.ok_first:
            mode = "ok"
        if self.failures_left is not None:
            if self.failures_left <= 0:
                mode = "ok"
            self.failures_left -= 1
        if mode == "unauthorized":
            return 401, {}, _json(_error(401, "UNAUTHENTICATED"))
        if mode == "forbidden":
            return 403, {}, _json(_error(403, "PERMISSION_DENIED"))
        if mode == "rate_limited":
            headers = {"retry-after": self.retry_after} if self.retry_after else {}
            return 429, headers, _json(_error(429, "RESOURCE_EXHAUSTED"))
        if mode == "server_error":
            return 500, {}, _json(_error(500, "INTERNAL"))
        if mode == "bad_request":
            return 400, {}, _json(_error(400, "INVALID_ARGUMENT"))
        if mode == "malformed":
            return 200, {}, b'{"translations": [{"translatedText": '
        if mode == "slow":
            time.sleep(self.slow_seconds)
        target = body.get("targetLanguageCode", "")
        contents = list(body.get("contents", []))
        if mode == "short":
            contents = contents[:-1]  # one translation missing: valid JSON, wrong answer
        translations = []
        for text in contents:
            item = {"translatedText": pseudo(text, target)}
            if not body.get("sourceLanguageCode"):
                item["detectedLanguageCode"] = DETECTED
            translations.append(item)
        return 200, {}, _json({"translations": translations})


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def _handler(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            path = self.path.split("?", 1)[0]
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = json.loads(raw) if raw else {}
            fake.received.append(Received(path=self.path, headers=headers, body=body))
            if not PATH.match(path):
                self._send(404, {}, _json(_error(404, "NOT_FOUND")))
                return
            self._send(*fake.answer(body))

        def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
            send_json(self, status, headers, data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def running_fake() -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    with serving(_handler(fake)) as port:
        fake.url = f"http://127.0.0.1:{port}"
        yield fake
