"""A running job's lease: a heartbeat thread that keeps the claim alive and reports progress.

Every ``tick`` it writes the latest progress to the row (so at most twice a second by default),
renews the lease, and notices when the job is no longer ours (cancelled by the user, or swept
after a long outage): then ``cancelled()`` turns true and the pipeline kills FFmpeg.
The thread tolerates a database that goes away (a restart): it reconnects on the next tick.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta
from types import TracebackType

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from rendering.models import GeneratedVideo, VideoStage, VideoStatus
from rendering.pipeline.execute import Progress
from rendering.services.events import publish_payload

log = logging.getLogger(__name__)

# How the progress bar is shared between stages: fetching and analysing photos first, FFmpeg
# for most of it, publishing at the end.
ENCODE_FROM, ENCODE_TO = 8, 96


class JobLease:
    def __init__(
        self,
        video: GeneratedVideo,
        token: uuid.UUID,
        *,
        lease_seconds: float,
        tick: float = 0.5,
    ) -> None:
        self._video = video
        self._token = token
        self._lease = timedelta(seconds=lease_seconds)
        self._tick = tick
        self._state: tuple[str, int, int | None] = (VideoStage.PREPARING, 1, None)
        self._written: tuple[str, int, int | None] | None = None
        self._renewed = time.monotonic()
        self._cancelled = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{video.pk}", daemon=True)

    # --- called from the render ---
    def set_stage(self, stage: str, percent: int) -> None:
        self._state = (stage, percent, None)

    def on_progress(self, progress: Progress) -> None:
        percent = ENCODE_FROM + int((ENCODE_TO - ENCODE_FROM) * progress.fraction)
        eta = progress.eta
        self._state = (VideoStage.RENDERING, percent, None if eta is None else int(eta + 0.5))

    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    # --- lifecycle ---
    def __enter__(self) -> JobLease:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self._tick):
                try:
                    self._beat()
                except DatabaseError:
                    # A restarting database: drop the broken connection, try again next tick.
                    log.warning("render job %s: heartbeat failed", self._video.pk, exc_info=True)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    def _beat(self) -> None:
        close_old_connections()
        state = self._state
        renew_due = time.monotonic() - self._renewed > self._lease.total_seconds() / 4
        mine = GeneratedVideo.objects.filter(
            pk=self._video.pk, claim_token=self._token, status=VideoStatus.PROCESSING
        )
        if state == self._written and not renew_due:
            if not mine.exists():
                self._lost()
            return
        stage, percent, eta = state
        now = timezone.now()
        with transaction.atomic():
            updated = mine.update(
                stage=stage,
                progress=percent,
                eta_seconds=eta,
                lease_expires_at=now + self._lease,
                updated_at=now,
            )
            if updated:
                publish_payload(
                    self._video.owner.public_id,
                    {
                        "video": str(self._video.public_id),
                        "project": str(self._video.project.public_id),
                        "status": VideoStatus.PROCESSING.value,
                        "progress": percent,
                        "stage": stage,
                        "eta_seconds": eta,
                    },
                )
        if not updated:
            self._lost()
            return
        self._written = state
        self._renewed = time.monotonic()

    def _lost(self) -> None:
        if not self._cancelled.is_set():
            log.info("render job %s is no longer ours (cancelled or re-queued)", self._video.pk)
        self._cancelled.set()
