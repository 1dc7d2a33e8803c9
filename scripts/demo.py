"""Run the embedded demo: migrate, ensure the demo account and its sample project with a finished
video, then web + Celery worker together.

No PostgreSQL or Redis needed: SQLite, the file cache and the filesystem broker live in var/.
Ctrl-C stops both processes (each runs in its own session and is terminated as a group).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADDRESS = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
HOST, _, PORT = ADDRESS.rpartition(":")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def start(name: str, argv: list[str]) -> tuple[str, subprocess.Popen[bytes]]:
    print(f"==> starting {name}: {' '.join(argv)}", flush=True)
    return name, subprocess.Popen(argv, cwd=ROOT, start_new_session=True)


def stop(processes: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    for name, process in processes:
        if process.poll() is None:
            # Celery's main process shuts its pool down itself (warm shutdown); the web server
            # is signalled as a group so nothing it started is left behind.
            if name == "worker":
                process.send_signal(signal.SIGTERM)
            else:
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"==> {name} did not stop in time; killing it", flush=True)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photomemory.settings.base")
    (ROOT / "var").mkdir(exist_ok=True)
    manage("migrate", "--noinput")
    # The demo account's sample project, with its video rendered once (idempotent), so signing
    # in shows a finished video at once.
    manage("create_demo_user", "--sample-project")
    processes = [
        start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "photomemory",
                "worker",
                "-Q",
                "render,default,ai",
                "--concurrency=1",
                "--loglevel=INFO",
                "--beat",
                f"--schedule={ROOT / 'var' / 'celerybeat-schedule'}",
            ],
        ),
        # ASGI (uvicorn), as in production: live progress streams are async views.
        start(
            "web",
            [str(BIN / "uvicorn"), "photomemory.asgi:application", "--host", HOST, "--port", PORT],
        ),
    ]
    print(f"\n==> PhotoMemory is at http://{ADDRESS}/  (Ctrl-C stops web and worker)\n", flush=True)
    # SIGTERM (e.g. from a process manager) stops the demo the same way Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while all(process.poll() is None for _, process in processes):
            time.sleep(0.5)
        failed = [name for name, process in processes if process.poll() is not None]
        print(f"==> {', '.join(failed)} exited; stopping the rest", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n==> stopping", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
