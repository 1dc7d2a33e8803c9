"""Real services for the job tests: a private Redis broker and `celery worker` subprocesses.

The broker is a redis-server of our own on a free port, so tests can stop and restart it
without touching the Redis the rest of the suite (and other checkouts) use for caching.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import kombu.pools
import psutil
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class RedisServer:
    """A throwaway redis-server (no persistence, like the production-less default)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_until(lambda: _pings(client), timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # as a crash or a restart without persistence: messages gone
            self.process.wait()

    def queue_length(self, queue: str = "render") -> int:
        return int(redis.Redis(port=self.port).llen(queue))


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


def test_database_url() -> str:
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class Worker:
    """`celery worker` (with embedded beat) in its own process group, as deployed."""

    # Every worker started in this test process, so a test that forgot to stop one (or failed
    # before it could) cannot leave it consuming the next test's jobs.
    started: ClassVar[list[Worker]] = []

    @classmethod
    def stop_all(cls) -> None:
        while cls.started:
            cls.started.pop().stop()

    def __init__(self, name: str, folder: Path, broker: RedisServer, env: dict[str, str]) -> None:
        self.name = name
        self.folder = folder
        self.broker = broker
        self.env = env
        self.log = folder / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, concurrency: int = 1) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "photomemory.settings.test",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": self.broker.url,
            "RENDER_LEASE_SECONDS": "3",
            "RENDER_TICK": "0.25",
            "RENDER_SWEEP_SECONDS": "1",
            "RENDER_RESEND_AFTER_SECONDS": "3",
            "RENDER_SECONDS_PER_PHOTO": "1.5",
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        argv = [
            sys.executable, "-m", "celery", "-A", "photomemory", "worker",
            "-Q", "render,default,ai", "-c", str(concurrency), "--pool", "prefork",
            "-B", "-s", str(self.folder / f"{self.name}-beat"),
            "-n", f"{self.name}@%h", "--without-gossip", "--without-mingle",
            "--loglevel", "INFO",
        ]  # fmt: skip
        Worker.started.append(self)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: "ready." in self.log.read_text(errors="replace") or self._died(),
            timeout=60,
            what=f"worker {self.name} to start",
        )
        if self._died():
            raise AssertionError(f"worker {self.name} died at start:\n{self.tail()}")
        return self

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        try:
            main = psutil.Process(self.process.pid)
            return [main.pid, *(c.pid for c in main.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def kill9(self) -> None:
        """SIGKILL the whole worker (main process and pool), as the OOM killer or a host loss."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def count(self, needle: str) -> int:
        return self.log.read_text(errors="replace").count(needle) if self.log.exists() else 0


def ffmpeg_processes() -> list[psutil.Process]:
    """Every live FFmpeg on the machine started from this checkout's pipeline."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "status"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
            if (
                "ffmpeg" in (proc.info["name"] or "")
                and "pipe:0" in cmd
                and proc.info["status"] != psutil.STATUS_ZOMBIE
            ):
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found


def broker_settings_for(app: Any, url: str, options: dict[str, Any] | None = None) -> None:
    """Point this process's Celery app (the web side that enqueues) at ``url``."""
    app.conf.broker_url = url
    app.conf.broker_transport_options = options or {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": 1,
    }
    forget_pools(app)


def forget_pools(app: Any) -> None:
    """Drop the app's pooled connections and producers, so the next send connects afresh to the
    configured broker. ``app.close()`` alone keeps the producer pool, and kombu keeps producer
    pools in a process-wide registry: a closed one found there again fails with "Acquire on
    closed pool" (and the send is lost)."""
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.close()
    kombu.pools.reset()


class AsgiServer:
    """The web app under uvicorn (ASGI, as in production), so progress streams stay open."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = env
        self.log = folder / "web.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AsgiServer:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "photomemory.settings.test",
            "DATABASE_URL": test_database_url(),
            "WHITENOISE_USE_FINDERS": "true",  # no collectstatic in tests
            **self.env,
        }
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "photomemory.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._up, timeout=60, what="uvicorn to answer")
        return self

    def _up(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"uvicorn died:\n{self.log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
