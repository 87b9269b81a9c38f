"""Create the project's virtual environment and install the pinned requirements.

Uses only the standard library, so it runs on a fresh Debian machine that has nothing but
``python3`` and ``make``. Debian's ``python3`` ships without ``ensurepip`` unless the
``python3-venv`` package is installed; in that case the venv is created without pip and pip
is bootstrapped from its wheel on PyPI (pinned version, SHA-256 checked).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

PIP_VERSION = "25.3"
PYPI_JSON = "https://pypi.org/pypi/pip/{version}/json"


def _has_ensurepip() -> bool:
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        return False
    return True


def _download_pip_wheel(directory: Path) -> Path:
    """Fetch the pinned pip wheel from PyPI and verify the digest PyPI publishes for it."""
    with urllib.request.urlopen(PYPI_JSON.format(version=PIP_VERSION), timeout=60) as reply:
        release = json.load(reply)
    wheel = next(f for f in release["urls"] if f["filename"].endswith("-py3-none-any.whl"))
    target = directory / wheel["filename"]
    with urllib.request.urlopen(wheel["url"], timeout=120) as reply:
        data = reply.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        raise SystemExit(f"bootstrap: the pip wheel {wheel['filename']} failed its SHA-256 check")
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
    print("bootstrap: this python has no ensurepip; installing pip from PyPI", flush=True)
    venv.EnvBuilder(with_pip=False, clear=True).create(venv_dir)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _download_pip_wheel(Path(tmp))
        subprocess.run(
            [python, f"{wheel}/pip", "install", "--quiet", "--no-index", str(wheel)], check=True
        )
    return python


def main() -> None:
    """Create the venv if needed and install the requirements into it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path(".venv"))
    parser.add_argument("--requirements", type=Path, default=Path("requirements.txt"))
    parser.add_argument(
        "--editable",
        type=Path,
        action="append",
        default=[],
        help="a local package to install in editable mode after the requirements (repeatable)",
    )
    args = parser.parse_args()
    python = create_venv(args.venv)
    print(f"bootstrap: installing {args.requirements} into {args.venv}", flush=True)
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--requirement",
            str(args.requirements),
        ],
        check=True,
    )
    for package in args.editable:
        # The requirements pin every dependency (and setuptools, the build backend), so the
        # local package is built with what is installed: no dependency resolution, no
        # download of a separate build environment.
        print(f"bootstrap: installing {package} (editable) into {args.venv}", flush=True)
        subprocess.run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-build-isolation",
                "--editable",
                str(package),
            ],
            check=True,
        )


if __name__ == "__main__":
    sys.exit(main())
