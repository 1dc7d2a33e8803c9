"""Job-system benchmark: small renders through real workers, and the overhead of the job system.

    python -m rendering.bench.jobs_bench [--jobs 20] [--workers 2] [--single 3]

Against the real services: PostgreSQL (a database of its own, ``photomemory_bench``), Redis
(database 14) and an S3 endpoint (moto in server mode, started here). Each job is a project of
4 sample photos at 720p. Prints jobs per minute, p50/p95 from request to ``completed``, lost and
duplicated jobs, and the overhead: a lone job's request-to-completed time against the same
render run directly by the pipeline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "rendering" / "samples" / "photos").glob("*.jpg"))[:4]
PACE = "2.0"  # seconds per photo: a ~10 s video, a "small render"


def configure(database: str, redis_url: str, s3: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "photomemory.settings.base",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "DEBUG": "false",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "AWS_STORAGE_BUCKET_NAME": "photomemory-bench",
        "S3_ENDPOINT_URL": s3,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_S3_REGION_NAME": "us-east-1",
        "BILLING_DEFAULT_PLAN": "pro",  # the operator-chosen plan: the quota is not measured
        "RENDER_SECONDS_PER_PHOTO": PACE,
        "EMAIL_URL": "dummymail://",
    }
    os.environ.update(env)
    return env


def start_s3() -> tuple[Any, str]:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per S3 request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        region_name="us-east-1",
    ).create_bucket(Bucket="photomemory-bench")
    return server, endpoint


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def start_workers(count: int, env: dict[str, str], logdir: Path) -> list[subprocess.Popen[bytes]]:
    workers = []
    for n in range(count):
        argv = [
            sys.executable, "-m", "celery", "-A", "photomemory", "worker", "-Q", "render,default",
            "-c", "1", "--pool", "prefork", "-n", f"bench{n}@%h", "--without-gossip",
            "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        log = (logdir / f"worker{n}.log").open("wb")
        workers.append(
            subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
        )
    for n in range(count):
        wait_for(lambda n=n: "ready." in (logdir / f"worker{n}.log").read_text(), 60, "worker")
    return workers


def wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)


def make_projects(count: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    from projects.services import photo_add, project_create

    user = get_user_model().objects.create_user(email="bench@example.com", password=None)
    projects = []
    for n in range(count):
        project = project_create(owner=user, title=f"Bench {n}", resolution="720p")
        for path in SAMPLES:
            photo_add(project=project, path=path, name=path.name, size=path.stat().st_size)
        projects.append(project)
    return projects


def run_jobs(projects: list[Any]) -> list[Any]:
    from rendering.models import FINISHED, GeneratedVideo
    from rendering.services import video_request_render

    ids = [video_request_render(user=p.owner, project=p)[0].pk for p in projects]
    wait_for(
        lambda: GeneratedVideo.objects.filter(pk__in=ids, status__in=FINISHED).count() == len(ids),
        600,
        "jobs",
    )
    return list(GeneratedVideo.objects.filter(pk__in=ids).order_by("created_at"))


def direct_render_seconds(video: Any, repeat: int) -> list[float]:
    """The lone job's render, with its options (style, title, watermark…), run in-process."""
    from rendering.pipeline.options import Order, RenderOptions
    from rendering.pipeline.render import render_memory

    spec = video.spec
    options = RenderOptions(
        style=spec["style"],
        aspect=spec["aspect"],
        resolution=spec["resolution"],
        title=spec["title"],
        order=Order.GIVEN,
        watermark=video.watermark,
        seconds_per_photo=float(PACE),
    )
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            started = time.monotonic()
            render_memory(SAMPLES, Path(folder) / "m.mp4", options, poster=Path(folder) / "p.jpg")
            times.append(time.monotonic() - started)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", type=int, default=3, help="lone jobs for the overhead")
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/photomemory_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    s3, endpoint = start_s3()
    env = configure(args.database, args.redis, endpoint)
    fresh_database(args.database)
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    redis.Redis.from_url(args.redis).flushdb()
    call_command("migrate", verbosity=0)
    logdir = Path(tempfile.mkdtemp(prefix="jobs-bench-"))
    print(
        f"{args.jobs} jobs of {len(SAMPLES)} photos at 720p through {args.workers} workers "
        f"(logs in {logdir})",
        flush=True,
    )
    workers = start_workers(args.workers, env, logdir)
    try:
        projects = make_projects(args.jobs + args.single)
        batch = run_jobs(projects[: args.jobs])
        for worker in workers[1:]:  # the lone jobs run on one idle worker
            worker.terminate()
            worker.wait()
        lone = [run_jobs([p])[0] for p in projects[args.jobs :]]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
    direct = direct_render_seconds(lone[0], args.single)
    report(batch, lone, direct)
    s3.stop()
    return 0


def report(batch: list[Any], lone: list[Any], direct: list[float]) -> None:
    from projects.storage import iter_keys

    done = [v for v in batch if v.status == "completed"]
    e2e = [(v.finished_at - v.created_at).total_seconds() for v in done]
    span = (max(v.finished_at for v in done) - min(v.created_at for v in batch)).total_seconds()
    outputs = [k for k in iter_keys() if "/videos/" in k and k.endswith(".mp4")]
    lone_e2e = [(v.finished_at - v.created_at).total_seconds() for v in lone]
    print(f"completed          {len(done)} / {len(batch)}   lost {len(batch) - len(done)}")
    print(
        f"duplicated         {sum(v.attempt > 1 for v in batch)} re-run, "
        f"{len(outputs) - len(done) - len(lone)} extra outputs"
    )
    print(f"throughput         {len(done) / span * 60:.1f} jobs/min  ({span:.1f} s for all)")
    p50, p95 = percentile(e2e, 0.5), percentile(e2e, 0.95)
    print(f"request→completed  p50 {p50:.1f} s   p95 {p95:.1f} s")
    print(
        f"lone job           {statistics.median(lone_e2e):.2f} s request→completed (median "
        f"of {len(lone)})"
    )
    print(f"direct pipeline    {statistics.median(direct):.2f} s (median of {len(direct)})")
    print(
        f"overhead           {statistics.median(lone_e2e) / statistics.median(direct):.2f}× "
        "(target ≤ 1.10×)"
    )


if __name__ == "__main__":
    sys.exit(main())
