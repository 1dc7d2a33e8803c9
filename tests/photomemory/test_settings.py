"""Production settings: pass Django's deploy checks when configured, refuse to start when not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "photomemory.settings.production",
    "DJANGO_READ_DOT_ENV_FILE": "false",
    "SECRET_KEY": "k3Jx9-pQ2vL8wZr6Tn4yHb1mC7sF0dGaE5uWqXoIeRtYlPzNcVbA",
    "ALLOWED_HOSTS": "photomemory.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/photomemory",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_checks_in_production() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_it_refuses_to_start_without_redis() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the REDIS_URL environment variable" in result.stderr
