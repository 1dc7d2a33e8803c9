"""Worker start-up: clean up after a predecessor that was killed, and sweep at once.

A worker killed with SIGKILL leaves its job's temp folder behind and its job leased; a fresh
worker removes folders whose process is gone and runs the sweeper instead of waiting for beat.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import psutil
from celery.signals import worker_ready

from rendering.services import videos_sweep
from rendering.services.worker import WORKDIR_PREFIX

log = logging.getLogger(__name__)


def remove_orphan_workdirs(root: Path | None = None) -> int:
    """Delete job folders (``photomemory-job-<pid>-…``) whose worker process no longer runs."""
    removed = 0
    for folder in (root or Path(tempfile.gettempdir())).glob(f"{WORKDIR_PREFIX}*"):
        pid_text = folder.name.removeprefix(WORKDIR_PREFIX).split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    # A killed process whose parent died too stays a zombie until init reaps it: that is dead.
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


@worker_ready.connect  # type: ignore[untyped-decorator]
def on_worker_ready(**_kwargs: Any) -> None:
    removed = remove_orphan_workdirs()
    if removed:
        log.info("removed %d temp folders left by killed workers", removed)
    try:
        counts = videos_sweep()
    except Exception:  # noqa: BLE001 - a database still starting must not stop the worker
        log.warning("start-up sweep failed; beat will sweep later", exc_info=True)
        return
    if any(counts.values()):
        log.info("start-up sweep: %s", counts)
