"""Production runs on PostgreSQL only; the image build's collectstatic needs no database."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.photomemory.test_settings import PRODUCTION_ENV, REPO, manage


def dockerfile_collectstatic() -> tuple[dict[str, str], list[str]]:
    """The environment and command of the Dockerfile's collectstatic step, as written there."""
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if ln.startswith("RUN ") and "collectstatic" in ln)
    words = shlex.split(line.removeprefix("RUN "))
    step = words[: words.index("&&")] if "&&" in words else words
    env = dict(w.split("=", 1) for w in step if re.fullmatch(r"[A-Z_]+=.*", w))
    command = [w for w in step if not re.fullmatch(r"[A-Z_]+=.*", w)]
    return env, command


def test_the_image_builds_its_static_files_with_the_dockerfiles_own_step(tmp_path: Path) -> None:
    env, command = dockerfile_collectstatic()
    assert command[:3] == ["python", "manage.py", "collectstatic"]
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    result = subprocess.run(  # noqa: S603 - the Dockerfile's own argv
        [sys.executable, *command[1:]],
        cwd=REPO,
        env={**base, **env, "STATIC_ROOT": str(tmp_path / "static")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()  # the manifest whitenoise serves
    assert (tmp_path / "static" / "admin" / "css" / "base.css").exists()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("sqlite:////tmp/photomemory.sqlite3", "must point at PostgreSQL"),
        ("mysql://user:secret@127.0.0.1:3306/photomemory", "must point at PostgreSQL"),
        ("postgres://postgres@127.0.0.1:5432/", "must point at PostgreSQL"),  # no database name
        ("not a database url", "must be a database URL"),
        ("ftp://example.com/photomemory", "must be a database URL"),
    ],
)
def test_it_refuses_a_database_that_is_not_postgresql(url: str, said: str) -> None:
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": url})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"django.core.exceptions.ImproperlyConfigured: DATABASE_URL {said}")
    assert "TypeError" not in result.stderr
    assert "connect_timeout" not in result.stderr


def test_it_still_needs_a_database_url_outside_the_build_step() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the DATABASE_URL environment variable" in result.stderr
