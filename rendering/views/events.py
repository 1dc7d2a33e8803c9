"""Live progress for the owner: server-sent events from PostgreSQL NOTIFY.

Three ways in: the web page's session cookie; a mobile app's ``X-Session-Token`` header; or
the signed ``events_url`` the API hands out, which needs neither (an EventSource cannot set
headers). A bad token or signature is refused with 401/403; only a plain anonymous browser is
sent to the sign-in page.

An async view, so an open stream costs an idle coroutine and one LISTEN connection, not a
worker thread. The stream sends the job's state at once, then every change, and ends when the
job finishes; browsers reconnect by themselves (``retry:``), and the page polls the API if
streams are not available at all. Without PostgreSQL (the embedded SQLite) it polls the row.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any, cast

import psycopg
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from psycopg import sql
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.api.authentication import SessionTokenAuthentication
from rendering.media import signed_events_video
from rendering.models import FINISHED, GeneratedVideo
from rendering.selectors import video_get
from rendering.services.events import channel_for, video_event_payload

KEEPALIVE_SECONDS = 15.0
POLL_SECONDS = 1.0


async def video_events_view(
    request: HttpRequest, project_id: str, video_id: str
) -> HttpResponseBase:
    signature = request.GET.get("signature")
    if signature is not None:
        try:
            video = await sync_to_async(signed_events_video)(
                signature=signature, project_id=project_id, video_id=video_id
            )
        except signing.BadSignature:  # SignatureExpired included
            return _refused(403, "This progress link is invalid or has expired.")
    else:
        user = await _viewer(request)
        if user is None:
            return _refused(401, "The session token is invalid or has expired.")
        if not user.is_authenticated:
            # As every other page: to the sign-in page (the browser's EventSource then gives
            # up and the page falls back to polling the API, which answers 401).
            return redirect_to_login(request.get_full_path())
        video = await sync_to_async(video_get)(user=user, project_id=project_id, public_id=video_id)
    if not isinstance(request, ASGIRequest):
        # Under WSGI (e.g. `runserver`) Django would buffer the whole stream, holding a thread
        # for minutes and showing nothing. 204 tells the browser not to reconnect; the page
        # then polls the API instead.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(_events(video), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def _viewer(request: HttpRequest) -> Any:
    """Who asks: the session token's user, else the session's (maybe anonymous) user; None for
    a token that names no live session."""
    if "X-Session-Token" not in request.headers:
        return await request.auser()
    # allauth reads only the header from the request, so Django's own request does for DRF's.
    check = SessionTokenAuthentication().authenticate
    try:
        found = await sync_to_async(check)(cast(Request, request))
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def _refused(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = "X-Session-Token"
    return response


async def _events(video: GeneratedVideo) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    deadline = time.monotonic() + settings.RENDER_EVENTS_MAX_SECONDS
    if connection.vendor == "postgresql":
        stream = _listen(video, deadline)
    else:
        stream = _poll(video, deadline)
    async for payload in stream:
        yield f"data: {json.dumps(payload, separators=(',', ':'))}\n\n"
        if payload["status"] in FINISHED:
            return


async def _listen(video: GeneratedVideo, deadline: float) -> AsyncIterator[dict[str, Any]]:
    channel = channel_for(video.owner.public_id)
    target = str(video.public_id)
    async with await psycopg.AsyncConnection.connect(**_conninfo(), autocommit=True) as conn:
        # LISTEN before reading the row, so no change can slip between the two.
        await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        yield await _current(video)
        while time.monotonic() < deadline:
            heard = False
            async for note in conn.notifies(timeout=KEEPALIVE_SECONDS, stop_after=1):
                heard = True
                payload = json.loads(note.payload)
                if payload.get("video") == target:
                    yield payload
            if not heard:
                # Quiet for a while: re-read the row (covers anything missed) and keep the
                # connection open through proxies.
                yield await _current(video)


async def _poll(video: GeneratedVideo, deadline: float) -> AsyncIterator[dict[str, Any]]:
    last: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        payload = await _current(video)
        if payload != last:
            yield payload
            last = payload
        await asyncio.sleep(POLL_SECONDS)


async def _current(video: GeneratedVideo) -> dict[str, Any]:
    def read() -> dict[str, Any]:
        video.refresh_from_db(
            fields=["status", "progress", "stage", "eta_seconds", "error_message"]
        )
        return video_event_payload(video)

    return await sync_to_async(read)()


def _conninfo() -> dict[str, Any]:
    db = connection.settings_dict
    info: dict[str, Any] = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "connect_timeout": db.get("OPTIONS", {}).get("connect_timeout", 3),
    }
    return {k: v for k, v in info.items() if v is not None}
