"""Fetch the Nu HTML checker (vnu.jar) without npm, pinned and checksum-verified.

The current release of the Nu HTML checker is published as the npm package ``vnu-jar``.
This downloads its tarball from the npm registry with the standard library only, checks it
against the registry's pinned ``dist.integrity`` (sha512), and extracts ``vnu.jar`` into
``.cache/vnu/<version>/``. Run it as ``python tools/fetch_vnu.py``; it prints the jar's path
and does nothing when the jar is already there.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VNU_VERSION = "26.9.27"
VNU_TARBALL_URL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VNU_VERSION}.tgz"
# `npm view vnu-jar@26.9.27 dist.integrity`: the registry's sha512 of the tarball.
VNU_INTEGRITY = (
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+"
    "rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
)
JAR_MEMBER = "package/build/dist/vnu.jar"
CACHE_DIR = PROJECT_ROOT / ".cache" / "vnu"
DOWNLOAD_TIMEOUT_SECONDS = 120


class FetchError(Exception):
    """vnu.jar could not be downloaded, verified or extracted."""


def jar_path(cache_dir: Path = CACHE_DIR) -> Path:
    """Where the pinned vnu.jar lives once fetched."""
    return cache_dir / VNU_VERSION / "vnu.jar"


def check_integrity(data: bytes, integrity: str = VNU_INTEGRITY) -> None:
    """Raise FetchError unless ``data`` matches the npm ``sha512-<base64>`` integrity string."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise FetchError(f"fetch_vnu: unsupported integrity string {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != expected:
        raise FetchError(
            f"fetch_vnu: checksum mismatch for {VNU_TARBALL_URL}: expected sha512-{expected}, "
            f"got sha512-{actual}; the download is corrupt or not the pinned release"
        )


def extract_jar(tarball: bytes, member: str = JAR_MEMBER) -> bytes:
    """The bytes of ``vnu.jar`` inside the npm tarball."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            extracted = archive.extractfile(member)
            if extracted is None:
                raise FetchError(f"fetch_vnu: {member!r} in the tarball is not a file")
            return extracted.read()
    except KeyError as error:
        raise FetchError(f"fetch_vnu: the tarball has no {member!r}") from error
    except tarfile.TarError as error:
        raise FetchError(f"fetch_vnu: the tarball does not unpack: {error}") from error


def download(url: str = VNU_TARBALL_URL, timeout: float = DOWNLOAD_TIMEOUT_SECONDS) -> bytes:
    """The bytes at ``url`` (https only)."""
    if not url.startswith("https://"):
        raise FetchError(f"fetch_vnu: refusing to download over anything but https: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "fetch_vnu (project tests)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FetchError(f"fetch_vnu: could not download {url}: {error}") from error


def ensure_vnu(cache_dir: Path = CACHE_DIR) -> Path:
    """Return the path of the pinned vnu.jar, downloading and verifying it on first use."""
    target = jar_path(cache_dir)
    if target.is_file():
        return target
    tarball = download()
    check_integrity(tarball)
    jar = extract_jar(tarball)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so an interrupted run never leaves half a jar.
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(jar)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: fetch the jar (if needed) and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR, help="default: .cache/vnu")
    args = parser.parse_args(argv)
    try:
        print(ensure_vnu(args.cache_dir))
    except FetchError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
