"""Supply chain: hash-pinned lock files, pinned pip and setuptools, a pip bootstrap that
trusts only the digest pinned in the code, and GitHub Actions pinned by commit."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path

import pytest

from tools.bootstrap_venv import (
    PIP_VERSION,
    PIP_WHEEL_SHA256,
    PIP_WHEEL_URL,
    BootstrapError,
    download_verified,
    local_packages,
)
from tools.build import PROJECT_ROOT

LOCKS = ["requirements.txt", "requirements-bootstrap.txt", "benchmarks/requirements.txt"]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def locked(name: str) -> dict[str, tuple[str, list[str]]]:
    """package -> (version, sha256 hashes) of a pip-compile lock file."""
    packages: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in (PROJECT_ROOT / name).read_text("utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = match.group(1).lower().replace("_", "-")
            packages[current] = (match.group(2), [])
        elif line.strip().startswith("--hash=sha256:"):
            packages[current][1].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"{name}: unexpected line {line!r}")
    return packages


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_package_has_an_exact_version_and_hashes(name: str) -> None:
    packages = locked(name)
    assert packages
    for package, (pinned, hashes) in packages.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", pinned), (package, pinned)
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), package


def test_every_direct_dependency_is_in_the_lock() -> None:
    direct = [
        line.split("#", 1)[0].strip().lower()
        for line in (PROJECT_ROOT / "requirements.in").read_text("utf-8").splitlines()
    ]
    packages = locked("requirements.txt")
    missing = [name for name in direct if name and name.replace("_", "-") not in packages]
    assert missing == []


def test_the_venv_has_the_pinned_pip_and_setuptools() -> None:
    """Not the ones bundled with Python (pip 23.2.1 and setuptools 65.5.0 on 3.11)."""
    bootstrap = locked("requirements-bootstrap.txt")
    assert set(bootstrap) == {"pip", "setuptools"}
    assert version("pip") == bootstrap["pip"][0]
    assert version("setuptools") == bootstrap["setuptools"][0]


def test_the_pip_wheel_pinned_in_the_bootstrap_is_the_locked_pip() -> None:
    pinned, hashes = locked("requirements-bootstrap.txt")["pip"]
    assert pinned == PIP_VERSION
    assert PIP_WHEEL_URL.startswith("https://files.pythonhosted.org/packages/")
    assert PIP_WHEEL_URL.endswith(f"/pip-{pinned}-py3-none-any.whl")
    assert PIP_WHEEL_SHA256 in hashes


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A plain HTTP server on 127.0.0.1 serving ``tmp_path / "files"``."""
    folder = tmp_path / "files"
    folder.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def end_headers(self) -> None:
            # A server that claims a digest: the bootstrap must not care.
            self.send_header("Digest", "sha-256=claimed")
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def test_a_download_whose_bytes_differ_from_the_pinned_digest_is_refused(
    file_server: tuple[str, Path], tmp_path: Path
) -> None:
    base, folder = file_server
    genuine = b"the genuine wheel"
    (folder / "pip-0-py3-none-any.whl").write_bytes(b"a tampered wheel")
    pinned = hashlib.sha256(genuine).hexdigest()
    target = tmp_path / "downloads"
    target.mkdir()
    with pytest.raises(BootstrapError) as refused:
        download_verified(f"{base}/pip-0-py3-none-any.whl", pinned, target)
    tampered = hashlib.sha256(b"a tampered wheel").hexdigest()
    assert str(refused.value) == (
        f"bootstrap: pip-0-py3-none-any.whl from {base}/pip-0-py3-none-any.whl has SHA-256 "
        f"{tampered}, not the pinned {pinned}; it was not installed (a changed or damaged "
        "download)"
    )
    assert list(target.iterdir()) == []
    (folder / "pip-0-py3-none-any.whl").write_bytes(genuine)
    kept = download_verified(f"{base}/pip-0-py3-none-any.whl", pinned, target)
    assert kept.read_bytes() == genuine


def test_the_bootstrap_never_asks_the_index_for_a_digest() -> None:
    source = (PROJECT_ROOT / "tools" / "bootstrap_venv.py").read_text("utf-8")
    assert "pypi.org/pypi" not in source and "json" not in source


@pytest.mark.parametrize(
    "changed",
    [
        "requirements.txt",
        "requirements-bootstrap.txt",
        "requirements-local.txt",
        "tools/bootstrap_venv.py",
    ],
)
def test_the_venv_is_remade_when_any_install_file_changes(changed: str) -> None:
    """`make -n -W <file> setup`: what make would run if the file had just changed."""
    result = subprocess.run(
        ["make", "-n", "-W", changed, "setup"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "tools/bootstrap_venv.py --venv .venv --bootstrap requirements-bootstrap.txt" in (
        result.stdout
    )


def test_local_packages_are_the_lines_of_requirements_local(tmp_path: Path) -> None:
    ours = local_packages(PROJECT_ROOT / "requirements-local.txt")
    assert all(line.startswith("-e ./") for line in ours), ours
    listed = tmp_path / "requirements-local.txt"
    listed.write_text("# ours\n-e ./plugins/a  # the first\n\n-e ./plugins/b\n", "utf-8")
    assert local_packages(listed) == ["-e ./plugins/a", "-e ./plugins/b"]


def test_a_local_package_installs_editable_with_the_pinned_setuptools_offline(
    tmp_path: Path,
) -> None:
    """What the bootstrap does with requirements-local.txt, as a dry run: the venv's own
    setuptools builds the editable package, with no index and no build isolation."""
    package = tmp_path / "pkg"
    (package / "sample_local").mkdir(parents=True)
    (package / "sample_local" / "__init__.py").write_text("")
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "sample-local"\nversion = "1.0"\n',
        "utf-8",
    )
    (tmp_path / "requirements-local.txt").write_text("-e ./pkg\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
         "--no-build-isolation", "--requirement", "requirements-local.txt"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Would install sample-local-1.0" in result.stdout


def test_every_action_is_pinned_by_commit_with_its_tag() -> None:
    workflow = (PROJECT_ROOT / ".github" / "workflows" / "site.yml").read_text("utf-8")
    uses = re.findall(r"uses:\s*(\S+)(.*)", workflow)
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", rest), (action, rest)
