"""Liveness (`/healthz`) and readiness (`/readyz`) probes.

Readiness checks each dependency a request or a render needs, each with a short timeout, and
reports them one by one so an operator sees which part is down.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable

import imageio_ffmpeg
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_broker() -> str:
    # A fresh connection from settings (not the Celery app's pool), so a broker that has gone
    # away since start-up is noticed.
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=CHECK_TIMEOUT_SECONDS,
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)
        return str(conn.transport_cls)


def check_storage() -> str:
    # A lookup of a key that need not exist proves reachability and credentials without writing.
    storage = storages["default"]
    storage.exists("readyz-probe")
    return type(storage).__name__


def ffmpeg_binary() -> str:
    return settings.FFMPEG_BINARY or imageio_ffmpeg.get_ffmpeg_exe()


def check_ffmpeg() -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [ffmpeg_binary(), "-nostdin", "-version"],
        capture_output=True,
        timeout=5,
        check=True,
    )
    return result.stdout.decode(errors="replace").splitlines()[0]


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "ffmpeg": check_ffmpeg,
}


def run_check(check: Callable[[], str]) -> dict[str, object]:
    started = time.monotonic()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; report, don't crash
        logger.warning("readiness check %s failed: %s", check.__name__, exc)
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "detail": detail, "ms": round((time.monotonic() - started) * 1000)}


@never_cache
# HEAD too: load balancers and uptime checks probe with it (the server drops the body).
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: run_check(check) for name, check in CHECKS.items()}
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
