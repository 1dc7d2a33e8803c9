"""Private media on a real S3 endpoint: readable by the app, by presigned URL, by no one else."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage


def test_it_keeps_objects_private_and_hands_out_presigned_urls(s3_storage: Storage) -> None:
    key = "user-uuid/projects/project-uuid/photos/photo-uuid.jpg"
    saved = default_storage.save(key, ContentFile(b"jpeg bytes"))
    assert saved == key

    # file_overwrite=False: a second upload under the same name never clobbers the first.
    second = default_storage.save(key, ContentFile(b"other bytes"))
    assert second != key

    with default_storage.open(saved) as handle:
        assert handle.read() == b"jpeg bytes"

    signed_url = default_storage.url(saved)
    assert "X-Amz-Signature=" in signed_url
    with urllib.request.urlopen(signed_url, timeout=5) as response:  # noqa: S310 - loopback
        assert response.read() == b"jpeg bytes"

    unsigned_url = signed_url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned_url, timeout=5)  # noqa: S310 - loopback
    assert refused.value.code == 403

    default_storage.delete(saved)
    default_storage.delete(second)
    assert not default_storage.exists(saved)
