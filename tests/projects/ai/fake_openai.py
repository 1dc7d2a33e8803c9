"""A fake OpenAI on loopback that speaks the Responses API wire format (``POST /v1/responses``).

The real client talks to it over real HTTP (httpx-level mocks don't reach the 3.x client), so
tests see the exact bytes sent. By default it answers as a model following the request's strict
JSON schema would: a caption and an order entry for every photo alias the schema enumerates.
``mode`` switches it to a failure; ``output_text`` overrides the JSON text it answers with.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import send_json, serving

MODES = (
    "ok",
    "slow",
    "unauthorized",
    "rate_limited",
    "server_error",
    "malformed",
    "truncated",
    "refusal",
    "schema_breaking",
    "empty",
)
USAGE = {"input_tokens": 1234, "output_tokens": 210, "cached_tokens": 1000}


def _aliases(body: dict[str, Any]) -> list[str]:
    schema = body["text"]["format"]["schema"]
    return list(schema["properties"]["captions"]["items"]["properties"]["photo"]["enum"])


def draft_json(aliases: list[str]) -> str:
    """A valid answer: the photos in reverse order, each with a caption and a reason."""
    return json.dumps(
        {
            "title": "A Summer by the Sea",
            "story": "We walked the coast every morning. The light was soft. It was enough.",
            "captions": [{"photo": a, "caption": f"Waves at dawn ({a})"} for a in aliases],
            "order": [{"photo": a, "reason": f"{a} opens the day"} for a in reversed(aliases)],
        }
    )


def _message(content: list[dict[str, Any]], status: str = "completed") -> dict[str, Any]:
    return {
        "type": "message",
        "id": "msg_fake",
        "role": "assistant",
        "status": status,
        "content": content,
    }


def _text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}


def response_body(
    body: dict[str, Any],
    output: list[dict[str, Any]],
    *,
    status: str = "completed",
    incomplete_reason: str | None = None,
) -> dict[str, Any]:
    return {
        "id": "resp_fake",
        "object": "response",
        "created_at": 1764878400,
        "status": status,
        "model": body.get("model", ""),
        "output": output,
        "incomplete_details": {"reason": incomplete_reason} if incomplete_reason else None,
        "error": None,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "store": body.get("store"),
        "max_output_tokens": body.get("max_output_tokens"),
        "safety_identifier": body.get("safety_identifier"),
        "usage": {
            "input_tokens": USAGE["input_tokens"],
            "input_tokens_details": {
                "cached_tokens": USAGE["cached_tokens"],
                "cache_write_tokens": 0,
            },
            "output_tokens": USAGE["output_tokens"],
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": USAGE["input_tokens"] + USAGE["output_tokens"],
        },
    }


class FakeOpenAI:
    def __init__(self) -> None:
        self.mode = "ok"
        self.output_text: str | None = None
        self.retry_after = "7"
        self.slow_seconds = 3.0
        self.requests: list[dict[str, Any]] = []  # parsed JSON bodies, in arrival order
        self.raw_bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.url = ""
        self.failures_left: int | None = None  # after this many answers in ``mode``, answer "ok"
        self.arrivals: list[float] = []  # time.monotonic() of each request

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """(status, headers, JSON body) for one request in the current mode."""
        error = {"error": {"message": "fake", "type": "fake", "param": None, "code": None}}
        if self.failures_left is not None:
            if self.failures_left == 0:
                self.mode = "ok"
            self.failures_left -= 1
        if self.mode == "unauthorized":
            return 401, {}, error
        if self.mode == "rate_limited":
            return 429, {"retry-after": self.retry_after}, error
        if self.mode == "server_error":
            return 500, {}, error
        if self.mode == "slow":
            time.sleep(self.slow_seconds)
        if self.mode == "refusal":
            refusal = {"type": "refusal", "refusal": "I can't help with that."}
            return 200, {}, response_body(body, [_message([refusal])])
        text = self.output_text if self.output_text is not None else draft_json(_aliases(body))
        if self.mode == "malformed":
            text = text[: len(text) // 2] + "}}{"
        elif self.mode == "schema_breaking":
            text = json.dumps({"title": "A", "story": "B", "captions": [], "order": []})
        elif self.mode == "empty":
            return 200, {}, response_body(body, [])
        elif self.mode == "truncated":
            cut = [_message([_text_part(text[:40])], status="incomplete")]
            return (
                200,
                {},
                response_body(
                    body, cut, status="incomplete", incomplete_reason="max_output_tokens"
                ),
            )
        return 200, {}, response_body(body, [_message([_text_part(text)])])


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            fake.arrivals.append(time.monotonic())
            fake.raw_bodies.append(raw)
            fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            if self.path != "/v1/responses":
                self._send(404, {}, {"error": {"message": f"no route {self.path}"}})
                return
            body = json.loads(raw)
            fake.requests.append(body)
            self._send(*fake.answer(body))

        def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
            send_json(self, status, headers, json.dumps(payload).encode())

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def running_fake() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    with serving(_handler(fake)) as port:
        fake.url = f"http://127.0.0.1:{port}/v1"
        yield fake
