"""Create the project's virtual environment and install the locked requirements.

Uses only the standard library, so it runs on a fresh Debian machine that has nothing but
``python3`` and ``make``. In order:

1. the venv, with pip from ``ensurepip``; Debian's ``python3`` lacks ``ensurepip`` unless
   ``python3-venv`` is installed, and then pip's wheel is downloaded from the address pinned
   here and checked against the SHA-256 pinned here (never a digest the server sends);
2. ``requirements-bootstrap.txt``: pip and setuptools at pinned, hashed versions, so the venv
   never keeps the older ones that come with Python;
3. ``requirements.txt``: the lock, every package with its hashes, ``--require-hashes``;
4. ``requirements-local.txt``: this repository's own packages, editable, ``--no-deps
   --no-build-isolation`` (pip cannot hash a folder; the pinned setuptools builds them).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The wheel of the pip in requirements-bootstrap.txt (tests check that they agree).
PIP_VERSION = "26.3"
PIP_WHEEL_URL = (
    "https://files.pythonhosted.org/packages/07/25/"
    "ee8c38ae72d66b844ce8eb9711ba905dba21ca1a8a0c960057c41cd23337/pip-26.3-py3-none-any.whl"
)
PIP_WHEEL_SHA256 = "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13"


class BootstrapError(Exception):
    """The environment could not be made; the message says why."""


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def download_verified(url: str, sha256: str, directory: Path) -> Path:
    """Download ``url`` into ``directory`` and check it against the pinned ``sha256``."""
    name = url.rsplit("/", 1)[-1]
    try:
        with urllib.request.urlopen(url, timeout=120) as reply:
            data = reply.read()
    except OSError as error:
        raise BootstrapError(f"bootstrap: could not download {url}: {error}") from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise BootstrapError(
            f"bootstrap: {name} from {url} has SHA-256 {digest}, not the pinned {sha256}; "
            "it was not installed (a changed or damaged download)"
        )
    target = directory / name
    target.write_bytes(data)
    return target


def create_venv(venv_dir: Path) -> Path:
    """Create ``venv_dir`` with a working pip and return its python executable."""
    python = venv_dir / "bin" / "python"
    if (
        python.exists()
        and subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0
    ):
        return python
    if _has_ensurepip():
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
        return python
    print("bootstrap: this python has no ensurepip; installing the pinned pip wheel", flush=True)
    venv.EnvBuilder(with_pip=False, clear=True).create(venv_dir)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = download_verified(PIP_WHEEL_URL, PIP_WHEEL_SHA256, Path(tmp))
        subprocess.run(
            [python, f"{wheel}/pip", "install", "--quiet", "--no-index", str(wheel)], check=True
        )
    return python


def local_packages(file: Path) -> list[str]:
    """The ``-e ./path`` lines of requirements-local.txt (comments and blanks skipped)."""
    if not file.exists():
        return []
    lines = [line.split("#", 1)[0].strip() for line in file.read_text("utf-8").splitlines()]
    return [line for line in lines if line]


def _pip(python: Path, *args: str) -> None:
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
        check=True,
    )


def install(python: Path, bootstrap: Path, lock: Path, local: Path | None) -> None:
    """Install the three files into the venv of ``python``, in order."""
    print(f"bootstrap: installing {bootstrap} (pip, setuptools)", flush=True)
    _pip(python, "--require-hashes", "--requirement", str(bootstrap))
    print(f"bootstrap: installing {lock} (hash-checked)", flush=True)
    _pip(python, "--require-hashes", "--requirement", str(lock))
    packages = local_packages(local) if local is not None else []
    if packages:
        print(f"bootstrap: installing {local} (editable: {', '.join(packages)})", flush=True)
        _pip(python, "--no-deps", "--no-build-isolation", "--requirement", str(local))


def main(argv: list[str] | None = None) -> int:
    """Create the venv if needed and install the requirements into it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    parser.add_argument("--bootstrap", type=Path, default=ROOT / "requirements-bootstrap.txt")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument(
        "--local", type=Path, default=None, help="requirements-local.txt (default: none)"
    )
    args = parser.parse_args(argv)
    try:
        python = create_venv(args.venv)
        install(python, args.bootstrap, args.requirements, args.local)
    except BootstrapError as error:
        print(error, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"bootstrap: {' '.join(map(str, error.cmd))} failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
