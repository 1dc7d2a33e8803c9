"""Shared fixtures: the fixed cast (alice, bob, charlie), a clean cache, and a real S3 endpoint.

Tests run against real services on loopback: PostgreSQL and Redis (see photomemory.settings.test)
and moto's S3 server in a thread.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import Storage, storages
from django.db import connections
from moto.server import ThreadedMotoServer

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.projects.ai.fake_openai import FakeOpenAI, running_fake

pytest_plugins = ["tests.browser"]

S3_BUCKET = "photomemory-test"
S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}
FAKE_OPENAI_KEY = "sk-fake-test-key"


def clear_our_cache_keys() -> None:
    """Delete this checkout's keys only: another checkout may be testing on the same Redis DB."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # The job fault tests restart PostgreSQL; a connection that died with it would fail every
    # later test's database setup. Drop it (before any fixture runs) and Django opens a new one.
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.is_usable():
            conn.close()


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Rate-limit counters live in the cache; one test's failed logins must not bleed into another.
    clear_our_cache_keys()
    yield
    clear_our_cache_keys()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db: None) -> User:
    """A staff member with full admin rights."""
    return UserFactory.create(
        email="alice@example.com", full_name="Alice Archer", is_staff=True, is_superuser=True
    )


@pytest.fixture
def bob(db: None) -> User:
    """A customer."""
    return UserFactory.create(email="bob@example.com", full_name="Bob Baker")


@pytest.fixture
def charlie(db: None) -> User:
    """Another customer, for checks that bob's things stay bob's."""
    return UserFactory.create(email="charlie@example.com", full_name="Charlie Chen")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 API on a free loopback port (moto server), with the test bucket created."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        region_name=S3_CREDENTIALS["region_name"],
    ).create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint: str, settings: Any) -> Storage:
    """Point default storage at the moto endpoint, configured as in production (private)."""
    settings.AWS_STORAGE_BUCKET_NAME = S3_BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    # As base.py does for an S3 endpoint: pages may load presigned media from it.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    for directive in ("img-src", "media-src", "connect-src"):
        policy["DIRECTIVES"][directive].append(s3_endpoint)
    settings.CONTENT_SECURITY_POLICY = policy
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": s3_endpoint,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "signature_version": "s3v4",
                **S3_CREDENTIALS,
            },
        },
    }
    return storages["default"]


@pytest.fixture
def fake_openai(settings: Any) -> Iterator[FakeOpenAI]:
    """The loopback fake OpenAI, with settings pointing the client at it (no retries, 1 s
    timeout). Here, not under tests/projects/ai/, because render_memory's tests use it too."""
    with running_fake() as fake:
        settings.OPENAI_API_KEY = FAKE_OPENAI_KEY
        settings.OPENAI_BASE_URL = fake.url
        settings.OPENAI_TIMEOUT_SECONDS = 1.0
        settings.OPENAI_MAX_RETRIES = 0
        settings.OPENAI_MAX_OUTPUT_TOKENS = 1500
        settings.OPENAI_MODEL = "gpt-4o-mini"
        yield fake
