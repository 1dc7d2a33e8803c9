# ruff: noqa: S105, S106, S108, S603, S607
# (a local benchmark: fixed moto credentials, photos cached in /tmp, our own subprocesses)
"""Upload benchmark: 50 phone photos (4032×3024 JPEG) through the API into one project, against
real services: gunicorn (the web process), PostgreSQL, Redis and a moto S3 server.

Usage: .venv/bin/python -m projects.bench.upload_bench [--photos 50] [--clients 4] [--workers 2]

Prints photos/s end to end, server CPU time per photo and the peak RSS of the web processes.
Needs PostgreSQL and Redis on localhost; creates (and reuses) the database ``pm_upload_bench``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import psutil
import requests

from rendering.bench.phone_photos import build_phone_photos

ROOT = Path(__file__).resolve().parents[2]
PY = ROOT / ".venv" / "bin" / "python"
BUCKET = "pm-bench"
EMAIL, PASSWORD = "bench@example.com", "upload-bench-password-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def environment(s3: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="photomemory.settings.base",
        DJANGO_READ_DOT_ENV_FILE="false",
        DEBUG="false",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/pm_upload_bench",
        REDIS_URL="redis://127.0.0.1:6379/13",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        S3_ENDPOINT_URL=s3,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_S3_REGION_NAME="us-east-1",
        PROJECTS_UPLOAD_RATE="10000/min",
        EMAIL_URL="consolemail://",
    )
    return env


def ensure_database(env: dict[str, str]) -> None:
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "pm_upload_bench"],
        capture_output=True,
        check=False,
    )
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PY, "manage.py", "create_demo_user", "--email", EMAIL, "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


class RssSampler(threading.Thread):
    """Samples the summed RSS of a process tree every 20 ms; keeps the peak."""

    def __init__(self, root: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self.peak_worker, self.stop = root, 0, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                sizes = [p.memory_info().rss for p in procs]
            except psutil.Error:
                continue
            self.peak = max(self.peak, sum(sizes))
            self.peak_worker = max(self.peak_worker, max(sizes[1:] or sizes))
            time.sleep(0.02)


def cpu_seconds(root: psutil.Process) -> float:
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        times = proc.cpu_times()
        total += times.user + times.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    photos = build_phone_photos(Path("/tmp/pm-bench-photos"), args.photos)
    s3_port, web_port = free_port(), free_port()
    s3 = f"http://127.0.0.1:{s3_port}"
    moto = subprocess.Popen(
        [ROOT / ".venv/bin/moto_server", "-H", "127.0.0.1", "-p", str(s3_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    web = None
    try:
        wait_for(s3)
        boto3.client(
            "s3",
            endpoint_url=s3,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        env = environment(s3)
        ensure_database(env)
        web = subprocess.Popen(
            [
                ROOT / ".venv/bin/gunicorn",
                "photomemory.wsgi",
                "-b",
                f"127.0.0.1:{web_port}",
                "-w",
                str(args.workers),
                "-k",
                "gthread",
                "--threads",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{web_port}"
        wait_for(f"{base}/healthz")
        run(base, photos, args, psutil.Process(web.pid), psutil.Process(moto.pid))
    finally:
        for proc in (web, moto):
            if proc:
                proc.terminate()
                proc.wait(10)


def run(
    base: str,
    photos: list[Path],
    args: argparse.Namespace,
    server: psutil.Process,
    moto: psutil.Process,
) -> None:
    login = requests.post(
        f"{base}/_allauth/app/v1/auth/login",
        json={"email": EMAIL, "password": PASSWORD},
        timeout=10,
    )
    token = login.json()["meta"]["session_token"]
    session = requests.Session()
    session.headers["X-Session-Token"] = token
    project = session.post(
        f"{base}/api/v1/projects/", json={"title": "Upload benchmark"}, timeout=10
    ).json()
    url = f"{base}/api/v1/projects/{project['id']}/photos/"
    payloads = [(p.name, p.read_bytes()) for p in photos]

    def send(item: tuple[str, bytes]) -> float:
        started = time.perf_counter()
        response = session.post(url, files={"file": (item[0], item[1], "image/jpeg")}, timeout=120)
        if response.status_code != 201:
            raise SystemExit(f"{item[0]}: {response.status_code} {response.text[:300]}")
        return time.perf_counter() - started

    sampler = RssSampler(server)
    rss_before = sum(p.memory_info().rss for p in [server, *server.children(recursive=True)])
    sampler.start()
    cpu_before = cpu_seconds(server)
    others_before = cpu_seconds(moto) + cpu_seconds(psutil.Process())
    started = time.perf_counter()
    # Two halves, the peak read after each: memory that grew with the number of photos would
    # show as a second half peaking above the first.
    half = len(payloads) // 2
    with ThreadPoolExecutor(args.clients) as pool:
        latencies = list(pool.map(send, payloads[:half]))
        peak_first_half = sampler.peak
        latencies += pool.map(send, payloads[half:])
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(server) - cpu_before
    others = cpu_seconds(moto) + cpu_seconds(psutil.Process()) - others_before
    sampler.stop.set()
    sampler.join()
    count = len(payloads)
    mb = sum(len(d) for _n, d in payloads) / 1e6
    print(f"uploaded        {count} photos, {mb:.0f} MB, 4032×3024 JPEG, {args.clients} clients")
    print(f"end to end      {elapsed:.1f} s = {count / elapsed:.1f} photos/s")
    print(
        f"latency         median {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"server CPU      {cpu / count * 1000:.0f} ms per photo "
        f"({args.workers} gunicorn workers × 2 threads)"
    )
    print(
        f"same machine    moto S3 + this client {others / count * 1000:.0f} ms CPU per photo "
        f"({psutil.cpu_count()} cores shared)"
    )
    print(
        f"peak RSS        {sampler.peak / 1e6:.0f} MB all web processes "
        f"(idle {rss_before / 1e6:.0f} MB), largest worker {sampler.peak_worker / 1e6:.0f} MB"
    )
    print(
        f"flat?           peak after {half} photos {peak_first_half / 1e6:.0f} MB, "
        f"after {count} {sampler.peak / 1e6:.0f} MB "
        f"({(sampler.peak - peak_first_half) / 1e6:+.0f} MB for the second {count - half})"
    )


if __name__ == "__main__":
    main()
