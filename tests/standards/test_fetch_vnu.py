"""tools/fetch_vnu.py without the network: integrity check, unpacking, https only, the cache."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from tools.fetch_vnu import (
    JAR_MEMBER,
    FetchError,
    check_integrity,
    download,
    ensure_vnu,
    extract_jar,
    jar_path,
)


def integrity_of(data: bytes) -> str:
    """The npm ``dist.integrity`` string of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def tarball(members: dict[str, bytes]) -> bytes:
    """A gzipped tar holding ``members``, like an npm package."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_integrity_accepts_the_pinned_bytes_and_rejects_any_other() -> None:
    data = b"vnu release"
    check_integrity(data, integrity_of(data))
    with pytest.raises(FetchError, match="checksum mismatch"):
        check_integrity(data + b"!", integrity_of(data))
    with pytest.raises(FetchError, match="unsupported integrity"):
        check_integrity(data, "sha1-" + integrity_of(data).removeprefix("sha512-"))


def test_extract_finds_the_jar_and_names_a_missing_one() -> None:
    assert extract_jar(tarball({JAR_MEMBER: b"jar bytes"})) == b"jar bytes"
    with pytest.raises(FetchError, match="has no"):
        extract_jar(tarball({"package/README.md": b"readme"}))
    with pytest.raises(FetchError, match="does not unpack"):
        extract_jar(b"not a tarball")


def test_download_refuses_plain_http() -> None:
    with pytest.raises(FetchError, match="https"):
        download("http://registry.npmjs.org/vnu-jar/-/vnu-jar-0.tgz")


def test_a_cached_jar_is_used_without_downloading(tmp_path: Path) -> None:
    cached = jar_path(tmp_path)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"cached")
    assert ensure_vnu(tmp_path) == cached
