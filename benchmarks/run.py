"""The benchmark runner: builds, rebuilds, link checks and feeds, ours against the peers.

``python benchmarks/run.py --quick``  N = 100 and 1,000 (``make bench-quick``)
``python benchmarks/run.py``          N = 100, 1,000 and 10,000 (``make bench``)

Every figure is a whole process started through ``measure.py`` (wall time and peak memory of
that one child). Each figure is a warm-up run, then ``--runs`` measured runs; ours and the
peers alternate run by run, and every ratio is taken between the runs of one round. The full
set writes ``benchmarks/results.json`` and ``benchmarks/RESULTS.md``; the quick set writes
``results-quick.json`` and ``RESULTS-quick.md`` and compares its figures with the full run's
(see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import pstats
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import generate

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
PEERS_VENV = WORK / "venv-peers"
PEERS_REQUIREMENTS = BENCH / "requirements.txt"
LINKCHECKER_CONFIG = BENCH / "linkcheckerrc"
MAIN_PYTHON = Path(sys.executable)
TODAY = generate.DEFAULT_TODAY.isoformat()
QUICK_SIZES = (100, 1000)
FULL_SIZES = (100, 1000, 10000)
FOCUS_N = 1000  # the N of the rebuild, link-check and profile figures
FEED_LIMIT = 1_000_000  # bytes: calendar apps (Google) refuse larger subscriptions
# Findings both link checkers look for; everything else ours reports is listed apart.
COMMON_KINDS = ("missing-file", "missing-fragment")


class BenchError(Exception):
    """A measured command failed; the message says which and shows its output."""


@dataclass(frozen=True)
class Sample:
    """One measured process."""

    wall_s: float
    peak_mb: float
    returncode: int
    user_s: float  # CPU time in the child's own code: the least sensitive to other load
    sys_s: float  # CPU time in the kernel for it (creating, writing, deleting files)

    @property
    def cpu_s(self) -> float:
        """User + system time."""
        return self.user_s + self.sys_s


def stats(values: Sequence[float]) -> dict[str, Any]:
    """Median, min, max and every value, rounded for reading."""
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "runs": [round(v, 4) for v in values],
    }


def relative(path: Path | str) -> str:
    """A path as the reader of RESULTS.md would type it, from the project root."""
    text = str(path)
    return text.replace(str(ROOT) + os.sep, "") if text.startswith(str(ROOT)) else text


class Runner:
    """Runs and records every figure of one benchmark session."""

    def __init__(
        self, *, sizes: Sequence[int], runs: int, mode: str, log: Callable, work: Path = WORK
    ) -> None:
        self.sizes = tuple(sizes)
        self.runs = runs
        self.mode = mode
        self.log = log
        self.work = work
        self.logs = work / "logs"
        self.commands: dict[str, str] = {}
        self.env = {**os.environ, "SITE_TODAY": TODAY}
        self.env.pop("SITE_ABSOLUTE_URL", None)
        self._count = 0

    # -- processes -------------------------------------------------------------------------
    def measure(
        self,
        name: str,
        command: Sequence[str | Path],
        *,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
        ok: tuple[int, ...] = (0,),
    ) -> tuple[Sample, Path]:
        """Run ``command`` as one measured child; return the sample and its stdout file."""
        self._count += 1
        stem = self.logs / f"{self._count:04d}-{name}"
        result = stem.with_suffix(".json")
        out, err = stem.with_suffix(".out"), stem.with_suffix(".err")
        wrapper = [MAIN_PYTHON, BENCH / "measure.py", "--result", result]
        wrapper += ["--stdout", out, "--stderr", err, "--cwd", cwd, "--", *command]
        subprocess.run([str(part) for part in wrapper], env=env or self.env, check=True)
        data = json.loads(result.read_text("utf-8"))
        if data["returncode"] not in ok:
            tail = err.read_text("utf-8", errors="replace")[-3000:]
            raise BenchError(f"{name}: exit {data['returncode']}: {relative(err)}:\n{tail}")
        sample = Sample(
            data["wall_s"], data["peak_mb"], data["returncode"], data["user_s"], data["system_s"]
        )
        return sample, out

    def note_command(self, key: str, command: Sequence[str | Path]) -> None:
        """Remember a command, as run, for RESULTS.md."""
        self.commands[key] = " ".join(relative(part) for part in command)

    # -- setup -----------------------------------------------------------------------------
    def ensure_peers(self) -> Path:
        """Create or refresh benchmarks/work/venv-peers from benchmarks/requirements.txt."""
        digest = hashlib.sha256(PEERS_REQUIREMENTS.read_bytes()).hexdigest()
        stamp = PEERS_VENV / ".requirements-sha256"
        python = PEERS_VENV / "bin" / "python"
        if not (python.exists() and stamp.exists() and stamp.read_text().strip() == digest):
            self.log(f"bench: installing the peers into {relative(PEERS_VENV)}")
            subprocess.run(
                [
                    str(MAIN_PYTHON),
                    str(ROOT / "tools" / "bootstrap_venv.py"),
                    "--venv",
                    str(PEERS_VENV),
                    "--requirements",
                    str(PEERS_REQUIREMENTS),
                ],
                check=True,
            )
            stamp.write_text(digest + "\n")
        return python

    def content(
        self,
        n: int,
        *,
        ahead: int = generate.DEFAULT_AHEAD,
        tag: str = "",
        upcoming_only: bool = False,
    ) -> Path:
        """Generate N sessions afresh into benchmarks/work/n<N><tag>/ (``upcoming_only``:
        every one of them in the ``ahead`` days from tomorrow)."""
        folder = self.work / f"n{n}{tag}"
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        generate.generate(folder, sessions=n, ahead=ahead, upcoming_only=upcoming_only)
        generate.link_project(folder / "site")
        self.log(f"bench: generated N={n}{tag} in {time.perf_counter() - started:.1f} s")
        return folder

    # -- figure 1 and 2: full builds -----------------------------------------------------
    def build_commands(self, folder: Path, peers_python: Path, suffix: str = "") -> dict[str, list]:
        """The three builds of one N: ours, plain Pelican, Pelican with pelican-events.

        Each writes into ``out-<name><suffix>``: a folder that does not exist yet.
        """
        return {
            "ours": [
                MAIN_PYTHON,
                BENCH / "child.py",
                "build",
                "--site",
                folder / "site",
                "--output",
                folder / f"out-ours{suffix}",
                "--timings",
                folder / "timings.json",
            ],
            "plain_pelican": [
                MAIN_PYTHON,
                "-m",
                "pelican",
                folder / "plain" / "content",
                "-s",
                folder / "plain" / "pelicanconf.py",
                "-o",
                folder / f"out-plain{suffix}",
                "-q",
            ],
            "pelican_events": [
                peers_python,
                "-m",
                "pelican",
                folder / "events" / "content",
                "-s",
                folder / "events" / "pelicanconf.py",
                "-o",
                folder / f"out-events{suffix}",
                "-q",
            ],
        }

    def builds(
        self, n: int, folder: Path, peers_python: Path, site_url: str = ""
    ) -> dict[str, Any]:
        """Warm-up, then rounds of ours / plain / events in rotating order.

        ``site_url`` (SITE_ABSOLUTE_URL) builds ours for the local server of the link check,
        which then checks the output of the last measured build.
        """
        env = {**self.env, "SITE_ABSOLUTE_URL": site_url} if site_url else self.env
        for key, command in self.build_commands(folder, peers_python).items():
            self.note_command(f"build_{key}", command)
        order = ["ours", "plain_pelican", "pelican_events"]
        samples: dict[str, list[Sample]] = {key: [] for key in order}
        feed_timings: list[dict[str, Any]] = []
        for round_index in range(-1, self.runs):  # round -1 is the warm-up
            # Every build writes a new folder; old ones are deleted only after the whole run.
            # (Deleting thousands of files here slows every later file creation on this
            # machine's ext4 for a while, which would bias the rounds that follow.)
            last = round_index == self.runs - 1
            suffix = "" if last else f"-{round_index + 1}"
            commands = self.build_commands(folder, peers_python, suffix)
            rotation = order[round_index % len(order) :] + order[: round_index % len(order)]
            for key in rotation:
                sample, _ = self.measure(
                    f"build-{n}-{key}", commands[key], env=env if key == "ours" else self.env
                )
                if round_index >= 0:
                    samples[key].append(sample)
                    if key == "ours":
                        feed_timings.append(json.loads((folder / "timings.json").read_text()))
            if round_index >= 0:
                self.log(
                    f"bench: N={n} round {round_index + 1}/{self.runs}: "
                    + ", ".join(f"{k} {samples[k][-1].wall_s:.2f} s" for k in order)
                )
        outputs = {
            "ours": folder / "out-ours",
            "plain_pelican": folder / "out-plain",
            "pelican_events": folder / "out-events",
        }
        walls = {key: [s.wall_s for s in samples[key]] for key in order}
        cpus = {key: [s.cpu_s for s in samples[key]] for key in order}
        users = {key: [s.user_s for s in samples[key]] for key in order}
        return {
            "build_s": {key: stats(walls[key]) for key in order},
            "cpu_s": {key: stats(cpus[key]) for key in order},
            "user_s": {key: stats(users[key]) for key in order},
            "sys_s": {key: stats([s.sys_s for s in samples[key]]) for key in order},
            "cpu_ratio_vs_plain": {
                key: stats([a / b for a, b in zip(cpus[key], cpus["plain_pelican"], strict=True)])
                for key in ("ours", "pelican_events")
            },
            "user_ratio_vs_plain": {
                key: stats([a / b for a, b in zip(users[key], users["plain_pelican"], strict=True)])
                for key in ("ours", "pelican_events")
            },
            "peak_mb": {key: stats([s.peak_mb for s in samples[key]]) for key in order},
            "ratio_vs_plain": {
                key: stats([a / b for a, b in zip(walls[key], walls["plain_pelican"], strict=True)])
                for key in ("ours", "pelican_events")
            },
            "feed_timings": {
                "feeds_s": stats([t["feeds_s"] for t in feed_timings]),
                "single_event_files_s": stats([t["single_event_files_s"] for t in feed_timings]),
                "write_s": stats([t["write_s"] for t in feed_timings]),
                "feeds": feed_timings[-1]["feeds"],
                "single_event_files": feed_timings[-1]["single_event_files"],
                "missing": feed_timings[-1]["missing"],
            },
            "feed_sizes": feed_sizes(outputs["ours"]),
            "files": {key: count_files(path) for key, path in outputs.items()},
        }

    # -- figure 3: rebuild after one edit, the way `make serve` rebuilds ------------------
    def incremental(self, folder: Path) -> dict[str, Any]:
        """Run `make serve`'s own code, edit one session file per round, time each rebuild."""
        site = folder / "site"
        command = [MAIN_PYTHON, "-u", BENCH / "child.py", "serve", "--site", site]
        command += ["--output", site / "output"]
        self.note_command("incremental", command)
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line.rstrip("\n"))

        threading.Thread(target=pump, daemon=True).start()
        transcript: list[str] = []

        def wait_for(pattern: str, timeout: float) -> tuple[re.Match[str], float]:
            deadline = time.perf_counter() + timeout
            while True:
                left = deadline - time.perf_counter()
                if left <= 0 or (process.poll() is not None and lines.empty()):
                    raise BenchError("serve: no " + pattern + "; output:\n" + "\n".join(transcript))
                try:
                    line = lines.get(timeout=min(left, 1.0))
                except queue.Empty:
                    continue
                transcript.append(line)
                if "build failed" in line:
                    raise BenchError("serve: a rebuild failed:\n" + "\n".join(transcript[-30:]))
                match = re.search(pattern, line)
                if match:
                    return match, time.perf_counter()

        sessions = sorted((site / "content" / "sessions").glob("*.md"))
        session_file = sessions[len(sessions) // 2]
        original = session_file.read_bytes()
        rebuild: list[float] = []
        latency: list[float] = []
        try:
            wait_for(r"^serve: http://", 600)
            for round_index in range(-1, self.runs):
                time.sleep(0.2)  # let the watcher settle
                while not lines.empty():
                    transcript.append(lines.get())
                edited = original + f"\nEdited for round {round_index + 2}.\n".encode()
                started = time.perf_counter()
                session_file.write_bytes(edited)
                match, finished = wait_for(r"^serve: rebuilt in ([0-9.]+) s", 300)
                if round_index >= 0:
                    rebuild.append(float(match.group(1)))
                    latency.append(finished - started)
                    self.log(
                        f"bench: rebuild {round_index + 1}/{self.runs}: "
                        f"{rebuild[-1]:.2f} s build, {latency[-1]:.2f} s from save to reload"
                    )
        finally:
            session_file.write_bytes(original)
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return {
            "n": folder.name,
            "edited_file": relative(session_file),
            "rebuild_s": stats(rebuild),
            "save_to_reload_s": stats(latency),
        }

    # -- figure 4: link checks -------------------------------------------------------------
    def linkchecks(self, n: int, folder: Path, peers_python: Path, base: str) -> dict[str, Any]:
        """Our offline check vs LinkChecker over HTTP (``base``), on the same build of N."""
        output = folder / "out-ours"  # the last measured build, made for ``base``
        env = {**self.env, "SITE_ABSOLUTE_URL": base}
        report = self.work / "linkcheck-ours.json"
        ours = [MAIN_PYTHON, "-m", "tools.linkcheck", output, "--offline"]
        ours += ["--settings", folder / "site" / "pelicanconf.py"]
        ours += ["--config", ROOT / "linkcheck.toml", "--report", report]
        theirs = [peers_python.parent / "linkchecker", "-f", LINKCHECKER_CONFIG]
        theirs += ["--no-status", "-o", "csv", f"{base}/"]
        self.note_command("linkcheck_ours", ours)
        self.note_command("linkcheck_linkchecker", theirs)
        # Warm-up: ours in full; LinkChecker one level deep (imports and server warm;
        # a full warm-up of LinkChecker would cost as much as a measured run).
        self.measure("linkcheck-ours-warmup", ours, env=env, ok=(0, 1))
        self.measure("linkcheck-lc-warmup", [*theirs[:-1], "-r", "1", theirs[-1]], ok=(0, 1))
        ours_s: list[float] = []
        theirs_s: list[float] = []
        ratios: list[float] = []
        cpu: dict[str, list[float]] = {"ours": [], "linkchecker": []}
        lc_out = None
        for round_index in range(self.runs):
            pair = [("ours", ours), ("linkchecker", theirs)]
            if round_index % 2:
                pair.reverse()
            for key, command in pair:
                sample, out = self.measure(
                    f"linkcheck-{key}", command, env=env if key == "ours" else None, ok=(0, 1)
                )
                (ours_s if key == "ours" else theirs_s).append(sample.wall_s)
                cpu[key].append(sample.cpu_s)
                if key == "linkchecker":
                    lc_out = out
            ratios.append(theirs_s[-1] / ours_s[-1])
            self.log(
                f"bench: link check round {round_index + 1}/{self.runs}: ours "
                f"{ours_s[-1]:.2f} s, LinkChecker {theirs_s[-1]:.2f} s"
            )
        assert lc_out is not None
        seeded = json.loads((folder / "manifest.json").read_text("utf-8"))["breaks"]
        found_ours, other_ours = our_findings(report)
        found_theirs, other_theirs = linkchecker_findings(lc_out.read_text("utf-8"), base)
        expected = sorted((b["page"], b["url"]) for b in seeded)
        return {
            "n": n,
            "ours_s": stats(ours_s),
            "linkchecker_s": stats(theirs_s),
            "ratio": stats(ratios),
            "cpu_s": {key: stats(values) for key, values in cpu.items()},
            "seeded": [list(item) for item in expected],
            "found_by_ours": [list(item) for item in found_ours],
            "found_by_linkchecker": [list(item) for item in found_theirs],
            "other_findings_ours": other_ours,
            "other_findings_linkchecker": other_theirs,
            "same_findings": found_ours == found_theirs == expected,
            "ours_summary": json.loads(report.read_text("utf-8"))["summary"],
        }

    # -- a year ahead: 1,000 sessions, all in the next twelve months ------------------------
    def year_ahead(self) -> dict[str, Any]:
        """N = 1,000 sessions over the next 365 days (three a day): the build must succeed
        with every feed under 1 MB, the aggregate feeds leaving out their farthest sessions
        with a notice. A warm-up, then ``runs`` measured builds."""
        days = generate.YEAR_AHEAD_DAYS
        folder = self.content(FOCUS_N, ahead=days, tag="-year-ahead", upcoming_only=True)
        samples: list[Sample] = []
        notices: list[str] = []
        output = folder
        for run in range(self.runs + 1):  # run 0 is the warm-up
            command = self.build_commands(folder, MAIN_PYTHON, suffix=f"-{run}")["ours"]
            if run == 0:
                self.note_command("year_ahead", command)
            sample, out = self.measure(f"year-ahead-{run}", command)
            output = folder / f"out-ours-{run}"
            notices = [
                line.removeprefix("notice: ").strip()
                for line in out.read_text("utf-8").splitlines()
                if line.startswith("notice: ")
            ]
            if run:
                samples.append(sample)
        return {
            "n": FOCUS_N,
            "days_ahead": days,
            "build_ok": all(sample.returncode == 0 for sample in samples),
            "build_s": stats([sample.wall_s for sample in samples]),
            "peak_mb": stats([sample.peak_mb for sample in samples]),
            "feed_sizes": feed_sizes(output),
            "notices": notices,
        }

    # -- profile -------------------------------------------------------------------------
    def profile(self, n: int, folder: Path) -> dict[str, Any]:
        """One build of N under cProfile; the top entries overall and in our own code."""
        stats_file = self.work / f"profile-n{n}.prof"
        command = [MAIN_PYTHON, BENCH / "child.py", "profile", "--site", folder / "site"]
        command += ["--output", folder / "out-profile", "--stats", stats_file]
        self.note_command("profile", command)
        self.measure(f"profile-{n}", command)
        return profile_summary(stats_file, n)


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (ephemeral port) in its own process; yield its address."""
    server = subprocess.Popen(
        [str(MAIN_PYTHON), "-u", str(BENCH / "static_server.py"), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


# -- reading results ---------------------------------------------------------------------
def count_files(folder: Path) -> int:
    """How many files a build wrote."""
    return sum(len(names) for _, _, names in os.walk(folder))


def feed_sizes(output: Path) -> dict[str, Any]:
    """Size of every subscribable feed, and of the one-session .ics files together."""
    calendar = output / "calendar"
    feeds = {p.name: p.stat().st_size for p in sorted(calendar.glob("*.ics"))}
    singles = [p.stat().st_size for p in calendar.glob("sessions/*.ics")]
    largest = max(feeds.items(), key=lambda item: item[1]) if feeds else ("", 0)
    return {
        "feeds": feeds,
        "largest": {"file": largest[0], "bytes": largest[1]},
        "single_event_files": {
            "count": len(singles),
            "max_bytes": max(singles, default=0),
            "total_bytes": sum(singles),
        },
        "all_under_limit": all(size < FEED_LIMIT for size in feeds.values()),
    }


def our_findings(report: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(page, url) of our checker's broken links and fragments; every other problem apart."""
    problems = json.loads(report.read_text("utf-8"))["offline"]
    found = sorted({(p["page"], p["url"]) for p in problems if p["kind"] in COMMON_KINDS})
    other = sorted(
        f"{p['kind']}: {p['page']}: {p['url']}" for p in problems if p["kind"] not in COMMON_KINDS
    )
    return found, other


def linkchecker_findings(text: str, base: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(page, url) of LinkChecker's errors and missing anchors; its other warnings apart."""
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    found: set[tuple[str, str]] = set()
    other: list[str] = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        page = urlsplit(row["parentname"] or "").path.lstrip("/")
        page = page + "index.html" if page.endswith("/") or not page else page
        broken = row["valid"] == "False" or "Anchor" in (row["warningstring"] or "")
        if broken and (row["parentname"] or "").startswith(base):
            found.add((page, row["urlname"]))
            continue
        other.append(f"{row['result']} {row['warningstring']}: {page}: {row['urlname']}")
    return sorted(found), sorted(other)


def profile_summary(stats_file: Path, n: int, top: int = 25) -> dict[str, Any]:
    """Top functions by cumulative and by own time; our own files (plugins/, tools/, theme/)."""
    data = pstats.Stats(str(stats_file))
    entries = data.stats  # type: ignore[attr-defined]
    total = max(cumulative for _, _, _, cumulative, _ in entries.values())

    def row(key: tuple, value: tuple) -> dict[str, Any]:
        filename, line, function = key
        calls, _, own, cumulative, _ = value
        return {
            "function": f"{shorten(filename)}:{line}({function})",
            "calls": calls,
            "own_s": round(own, 3),
            "cumulative_s": round(cumulative, 3),
            "cumulative_share": round(cumulative / total, 3),
        }

    items = list(entries.items())
    ours = [
        item
        for item in items
        if any(part in shorten(item[0][0]) for part in ("plugins/", "tools/", "theme/"))
    ]
    return {
        "n": n,
        "profiled_total_s": round(total, 3),
        "by_cumulative": [row(*i) for i in sorted(items, key=lambda i: -i[1][3])[:top]],
        "by_own_time": [row(*i) for i in sorted(items, key=lambda i: -i[1][2])[:top]],
        "ours_by_cumulative": [row(*i) for i in sorted(ours, key=lambda i: -i[1][3])[:top]],
    }


def shorten(filename: str) -> str:
    """A profile file name without the machine's prefixes."""
    text = filename.replace(str(ROOT) + "/", "")
    text = re.sub(r"^(.*/)?benchmarks/work/n\d+[^/]*/site/", "", text)
    text = re.sub(r"^.*?/site-packages/", "", text)
    return re.sub(r"^.*?/lib/python3\.\d+/", "stdlib/", text)


# -- machine and versions --------------------------------------------------------------
def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory = f"{int(first[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else ""
    return {
        "platform": platform.platform(),
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def versions(peers_python: Path) -> dict[str, str]:
    """Versions of the packages that matter, in our venv and in the peers' venv."""
    script = (
        "import importlib.metadata as m, json, sys; "
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    ours = ["pelican", "Markdown", "Jinja2", "icalendar", "lxml", "beautifulsoup4", "watchfiles"]
    peers = ["pelican", "pelican-events", "LinkChecker", "Markdown", "icalendar"]
    result = {}
    for label, python, names in (
        ("main venv", MAIN_PYTHON, ours),
        ("peers venv", peers_python, peers),
    ):
        found = json.loads(
            subprocess.run(
                [str(python), "-c", script, *names], capture_output=True, text=True, check=True
            ).stdout
        )
        result.update({f"{name} ({label})": version for name, version in found.items()})
    return result


def git_state() -> dict[str, str]:
    """The commit measured, and whether our code had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "plugins", "tools", "theme", "pelicanconf.py")
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes_in_our_code": changed.replace("\n", "; ") or "none",
    }


# -- targets and reports ------------------------------------------------------------------
# Where each kind of run writes: the quick set never overwrites the full run's figures, which
# are the reference it is compared with (see ``compared_with_full``).
RESULT_FILES = {
    "full": ("results.json", "RESULTS.md"),
    "quick": ("results-quick.json", "RESULTS-quick.md"),
    "custom": ("results-custom.json", "RESULTS-custom.md"),
}
# How much worse than the full run a quick run's figure may be and still count as the same.
WITHIN = 0.10


def compared_with_full(results: dict[str, Any], full: dict[str, Any]) -> list[dict[str, Any]]:
    """The quick run's build ratio and rebuild times at N = 1,000 beside the full run's
    (lower is better for each): whether each is within WITHIN of it."""
    key = str(FOCUS_N)
    pairs = [
        (
            "Build at N = 1,000, ours / plain Pelican",
            results["build_ratio_vs_plain_pelican"].get(key),
            full.get("build_ratio_vs_plain_pelican", {}).get(key),
            "",
        ),
        (
            "Build at N = 1,000, user CPU time, ours / plain Pelican",
            results.get("build_user_ratio_vs_plain_pelican", {}).get(key),
            full.get("build_user_ratio_vs_plain_pelican", {}).get(key),
            "",
        ),
        (
            "Rebuild after one edit, from save to reload",
            results.get("incremental_s"),
            full.get("incremental_s"),
            " s",
        ),
        (
            "Rebuild after one edit, the rebuild alone",
            results.get("incremental_rebuild_s"),
            full.get("incremental_rebuild_s"),
            " s",
        ),
    ]
    rows = []
    for figure, quick, reference, unit in pairs:
        if not quick or not reference:
            continue
        change = quick["median"] / reference["median"] - 1
        rows.append(
            {
                "figure": figure,
                "quick": f"{quick['median']:.2f}{unit}",
                "full": f"{reference['median']:.2f}{unit}",
                "change": f"{change:+.0%}",
                "within": change <= WITHIN,
            }
        )
    return rows


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue, with the figure measured and whether it is met."""
    rows: list[dict[str, Any]] = []
    key = str(FOCUS_N)

    def add(target: str, measured: str, met: bool | None) -> None:
        rows.append({"target": target, "measured": measured, "met": met})

    ratio = results["build_ratio_vs_plain_pelican"].get(key)
    user = results.get("build_user_ratio_vs_plain_pelican", {}).get(key)
    add(
        "Full build no slower than plain Pelican at N = 1,000 (ratio ≤ 1.0)",
        f"ours / plain Pelican = {ratio['median']:.2f} (min {ratio['min']:.2f}, "
        f"max {ratio['max']:.2f})" + (f"; user CPU time only: {user['median']:.2f}" if user else "")
        if ratio
        else "not measured",
        ratio["median"] <= 1.0 if ratio else None,
    )
    events = results["pelican_events_ratio_vs_plain_pelican"].get(key)
    events_user = results.get("pelican_events_user_ratio_vs_plain_pelican", {}).get(key)
    add(
        "pelican-events costs 1.2 to 1.3 times plain Pelican (a statement about the peer)",
        f"pelican-events / plain Pelican = {events['median']:.2f}"
        + (f"; user CPU time only: {events_user['median']:.2f}" if events_user else "")
        if events
        else "not measured",
        1.2 <= events["median"] <= 1.3 if events else None,
    )
    builds = results["build_s"]
    if "10000" in builds and "1000" in builds:
        growth = builds["10000"]["median"] / builds["1000"]["median"]
        add(
            "Linear growth: build at N = 10,000 within 11 times N = 1,000",
            f"{growth:.2f} times ({builds['10000']['median']:.1f} s / "
            f"{builds['1000']['median']:.1f} s)",
            growth <= 11,
        )
        peak = results["peak_mb"]["10000"]["median"]
        add("Peak memory at N = 10,000 under 300 MB", f"{peak:.0f} MB", peak < 300)
    else:
        add("Linear growth: build at N = 10,000 within 11 times N = 1,000", "not run (quick)", None)
        add("Peak memory at N = 10,000 under 300 MB", "not run (quick)", None)
    incremental = results.get("incremental_s")
    rebuild = results.get("incremental_rebuild_s")
    add(
        "Rebuild after one edit at N = 1,000 under 1.5 s",
        f"{incremental['median']:.2f} s from save to reload (rebuild alone "
        f"{rebuild['median']:.2f} s)"
        if incremental
        else "not measured",
        incremental["median"] < 1.5 if incremental else None,
    )
    link = results.get("linkcheck")
    add(
        "Offline link check of N = 1,000 at least 10 times faster than LinkChecker",
        f"LinkChecker / ours = {link['ratio']['median']:.1f} "
        f"({link['linkchecker_s']['median']:.1f} s / {link['ours_s']['median']:.2f} s)"
        if link
        else "not measured",
        link["ratio"]["median"] >= 10 if link else None,
    )
    add(
        "Same findings: both checkers find exactly the seeded breaks",
        f"{len(link['seeded'])} seeded; ours found {len(link['found_by_ours'])}, "
        f"LinkChecker {len(link['found_by_linkchecker'])}; identical: {link['same_findings']}"
        if link
        else "not measured",
        link["same_findings"] if link else None,
    )
    feeds = results["feeds"]
    add(
        f"Every feed under 1 MB at N = {feeds['n']:,} (past-window rule)",
        f"largest {feeds['sizes']['largest']['file']} = "
        f"{feeds['sizes']['largest']['bytes'] / 1e6:.2f} MB",
        feeds["sizes"]["all_under_limit"],
    )
    duration = results.get("duration_s")
    if results["mode"] == "quick" and duration:
        crawls = sum(link["linkchecker_s"]["runs"]) if link else 0.0
        add(
            "`make bench-quick` in under 5 minutes on 2 cores",
            f"{duration / 60:.1f} min, of which LinkChecker's measured crawls "
            f"{crawls / 60:.1f} min",
            duration < 300,
        )
    year = results.get("year_ahead")
    if year:
        largest = year["feed_sizes"]["largest"]
        add(
            f"{year['n']:,} sessions in the next {year['days_ahead']} days build, every feed "
            "under 1 MB",
            f"build {'succeeded' if year['build_ok'] else 'failed'} in "
            f"{year['build_s']['median']:.2f} s; largest {largest['file']} = "
            f"{largest['bytes'] / 1e6:.2f} MB; {len(year['notices'])} feed notice(s)",
            bool(year["build_ok"] and year["feed_sizes"]["all_under_limit"]),
        )
    return rows


def _fmt(value: dict[str, Any], unit: str = " s", digits: int = 2) -> str:
    return (
        f"{value['median']:.{digits}f}{unit} ({value['min']:.{digits}f} to "
        f"{value['max']:.{digits}f})"
    )


def markdown_report(results: dict[str, Any], notes: str) -> str:
    """RESULTS.md: every figure, as measured, and what the numbers mean."""
    out: list[str] = []
    w = out.append
    task = {"quick": "`make bench-quick`", "full": "`make bench`"}.get(results["mode"], "custom")
    w("# Benchmark results\n")
    w(
        f"Written by `benchmarks/run.py` ({task}"
        f", {results['settings']['runs']} measured runs after a warm-up) on "
        f"{results['started_at']}; the whole run took {results['duration_s'] / 60:.1f} min. "
        "Times are medians with (min to max); every ratio is taken run by run within one "
        "round, then its median is shown. How to run and what each figure means: "
        "[README.md](README.md).\n"
    )
    w("## Targets\n")
    w("| target | measured | |")
    w("| --- | --- | --- |")
    for row in results["targets"]:
        mark = {True: "met", False: "**missed**", None: "not run"}[row["met"]]
        w(f"| {row['target']} | {row['measured']} | {mark} |")
    w("")
    comparison = results.get("compared_with_full")
    if comparison:
        reference = results.get("full_run", {})
        w(
            f"## Compared with the full run ({reference.get('started_at', '?')}, commit "
            f"{reference.get('commit', '?')})\n"
        )
        w(
            f"Each figure of this run beside the same figure in [RESULTS.md](RESULTS.md); lower "
            f'is better, and "within" means at most {WITHIN:.0%} above it.\n'
        )
        w("| figure | this run | full run | change | within |")
        w("| --- | --- | --- | --- | --- |")
        for row in comparison:
            mark = "yes" if row["within"] else "**no**"
            w(f"| {row['figure']} | {row['quick']} | {row['full']} | {row['change']} | {mark} |")
        w("")
    if notes.strip():
        w(notes.strip() + "\n")
    w("## 1 and 2. Full builds, ours against the peers\n")
    w(
        "Each build is one whole process, into a new folder. Ours: `tools.build.build_site` "
        "(what `make build` runs) with our theme and plugins. Plain Pelican: Pelican 4.12, no "
        "plugin, its default theme, the same sessions as ordinary articles and the programs as "
        "pages. pelican-events: the same plus the plugin and its event fields.\n"
    )
    w("| N | ours | plain Pelican | pelican-events | ours / plain | events / plain |")
    w("| --- | --- | --- | --- | --- | --- |")
    for n in results["settings"]["sizes"]:
        key = str(n)
        peers = results["peers"]
        w(
            f"| {n:,} | {_fmt(results['build_s'][key])} | "
            f"{_fmt(peers['plain_pelican']['build_s'][key])} | "
            f"{_fmt(peers['pelican_events']['build_s'][key])} | "
            f"{_fmt(results['build_ratio_vs_plain_pelican'][key], '')} | "
            f"{_fmt(results['pelican_events_ratio_vs_plain_pelican'][key], '')} |"
        )
    w(
        "\nCPU time of the same processes: user time is the programs' own work and hardly "
        "depends on other load; system time is mostly the kernel creating files and folders, "
        "which on this machine varies with how many files were deleted shortly before "
        "(see the notes):\n"
    )
    w(
        "| N | ours user / sys | plain user / sys | events user / sys | user: ours / plain "
        "| user: events / plain |"
    )
    w("| --- | --- | --- | --- | --- | --- |")
    for n in results["settings"]["sizes"]:
        key = str(n)
        peers = results["peers"]

        def pair(data: dict[str, Any], key: str = key) -> str:
            return f"{data['user_s'][key]['median']:.2f} / {data['sys_s'][key]['median']:.2f} s"

        w(
            f"| {n:,} | {pair(results)} | {pair(peers['plain_pelican'])} | "
            f"{pair(peers['pelican_events'])} | "
            f"{_fmt(results['build_user_ratio_vs_plain_pelican'][key], '')} | "
            f"{_fmt(results['pelican_events_user_ratio_vs_plain_pelican'][key], '')} |"
        )
    w("\nPeak memory (maximum resident set size of the build process, MB):\n")
    w("| N | ours | plain Pelican | pelican-events | files written (ours / plain / events) |")
    w("| --- | --- | --- | --- | --- |")
    for n in results["settings"]["sizes"]:
        key = str(n)
        peers = results["peers"]
        files = results["files_written"][key]
        w(
            f"| {n:,} | {_fmt(results['peak_mb'][key], '', 0)} | "
            f"{_fmt(peers['plain_pelican']['peak_mb'][key], '', 0)} | "
            f"{_fmt(peers['pelican_events']['peak_mb'][key], '', 0)} | "
            f"{files['ours']:,} / {files['plain_pelican']:,} / {files['pelican_events']:,} |"
        )
    w("")
    incremental = results.get("incremental_s")
    if incremental:
        w(f"## 3. Rebuild after editing one session (N = {FOCUS_N:,}), as `make serve` does\n")
        w(
            "`make serve`'s own code (`tools.devserver.serve_forever`) runs on the synthetic "
            "site; each round appends a line to one session file "
            f"(`{results['incremental']['edited_file']}`) and waits for the rebuild.\n"
        )
        w(f"- From save to reload announced: {_fmt(incremental)}")
        alone = _fmt(results["incremental_rebuild_s"])
        w(f"- The rebuild alone (as `make serve` prints it): {alone}")
        w(
            "- The difference is the watcher: `watchfiles` starts the rebuild once no further "
            "change has come for 50 ms (`step`), at most 200 ms (`debounce`) after the first.\n"
        )
    link = results.get("linkcheck")
    if link:
        w(f"## 4. Link check of the N = {link['n']:,} output\n")
        w(
            "Ours: `python -m tools.linkcheck OUTPUT --offline` (every built file parsed once, "
            "links resolved in memory). LinkChecker: the same output served on 127.0.0.1 by "
            "`benchmarks/static_server.py`, crawled from the home page with "
            "`benchmarks/linkcheckerrc` (anchor checks on; the server sends the `LinkChecker` "
            "header so its politeness limit of 10 requests a second does not apply).\n"
        )
        w(f"- ours: {_fmt(link['ours_s'])}")
        w(f"- LinkChecker: {_fmt(link['linkchecker_s'])}")
        w(f"- LinkChecker / ours: {_fmt(link['ratio'], '', 1)}")
        w(
            f"- CPU time: ours {_fmt(link['cpu_s']['ours'])}, LinkChecker "
            f"{_fmt(link['cpu_s']['linkchecker'])}"
        )
        w(
            f"- seeded breaks: {len(link['seeded'])}; found by ours: "
            f"{len(link['found_by_ours'])}; found by LinkChecker: "
            f"{len(link['found_by_linkchecker'])}; identical sets: {link['same_findings']}"
        )
        missing_ours = sorted(
            set(map(tuple, link["seeded"])) - set(map(tuple, link["found_by_ours"]))
        )
        missing_lc = sorted(
            set(map(tuple, link["seeded"])) - set(map(tuple, link["found_by_linkchecker"]))
        )
        for label, missing in (("ours", missing_ours), ("LinkChecker", missing_lc)):
            for page, url in missing:
                w(f"  - not found by {label}: `{url}` on `{page}`")
        for label, key in (
            ("ours", "other_findings_ours"),
            ("LinkChecker", "other_findings_linkchecker"),
        ):
            extra = link[key]
            w(f"- other findings of {label}: {len(extra)}")
            for line in extra[:10]:
                w(f"  - {line}")
        w("")
    feeds = results["feeds"]
    w(f"## 5. Feeds at N = {feeds['n']:,}\n")
    timing = feeds["generation_s"]
    w(
        "Feed generation alone, timed inside each measured build of ours by wrapping the "
        "plugin's `calendar_bytes` (sessions to iCalendar bytes) and `_write_bytes`:\n"
    )
    w(f"- {timing['feeds']} subscribable feeds: {_fmt(timing['feeds_s'])}")
    w(
        f"- {timing['single_event_files']} one-session .ics files: "
        f"{_fmt(timing['single_event_files_s'])}"
    )
    w(f"- writing every .ics: {_fmt(timing['write_s'])}")
    if timing["missing"]:
        w(f"- could not time: {', '.join(timing['missing'])}")
    w("\n| feed | bytes | under 1 MB |")
    w("| --- | --- | --- |")
    for name, size in feeds["sizes"]["feeds"].items():
        w(f"| calendar/{name} | {size:,} | {'yes' if size < FEED_LIMIT else '**no**'} |")
    singles = feeds["sizes"]["single_event_files"]
    w(
        f"| calendar/sessions/*.ics ({singles['count']:,} files) | largest {singles['max_bytes']:,}"
        f", total {singles['total_bytes']:,} | yes |\n"
    )
    year = results.get("year_ahead")
    if year:
        w(
            f"## 6. A year ahead (N = {year['n']:,}, every session in the next "
            f"{year['days_ahead']} days)\n"
        )
        w(
            f"Build: {'succeeded' if year['build_ok'] else '**failed**'}, "
            f"{_fmt(year['build_s'])}, peak {_fmt(year['peak_mb'], ' MB', 0)}. The aggregate "
            "feeds reach INFO_SESSIONS_FUTURE_DAYS (365) ahead and leave out their farthest "
            "sessions to stay under the size limit; each program's feed holds all of its "
            "sessions."
        )
        alone = results.get("measured_alone", {}).get("year_ahead")
        if alone:
            w(
                f"Measured alone (`--only year-ahead`) on {alone['at']}, commit "
                f"{alone['git']['commit']}, load average at the start "
                f"{alone['machine']['load_average_at_start']}; not part of the run above.\n"
            )
        else:
            w("")
        w("| feed | bytes | under 1 MB |")
        w("| --- | --- | --- |")
        for name, size in year["feed_sizes"]["feeds"].items():
            w(f"| calendar/{name} | {size:,} | {'yes' if size < FEED_LIMIT else '**no**'} |")
        w("\nNotices of the build (they do not fail it):\n")
        for notice in year["notices"]:
            w(f"- `{notice}`")
        w("")
    profile = results.get("profile")
    if profile:
        w(f"## Profile of one build (N = {profile['n']:,}, cProfile)\n")
        w(
            f"Total under the profiler: {profile['profiled_total_s']:.1f} s (cProfile slows "
            "Python code down about 3 times; shares matter, not seconds).\n"
        )
        for title, key in (
            ("Top entries by cumulative time", "by_cumulative"),
            ("Top entries by own time", "by_own_time"),
            ("Our code (plugins/, tools/, theme/) by cumulative time", "ours_by_cumulative"),
        ):
            w(f"### {title}\n")
            w("| function | calls | own s | cumulative s | share of build |")
            w("| --- | --- | --- | --- | --- |")
            for row in profile[key][:20]:
                w(
                    f"| `{row['function']}` | {row['calls']:,} | {row['own_s']:.2f} | "
                    f"{row['cumulative_s']:.2f} | {row['cumulative_share']:.0%} |"
                )
            w("")
    w("## Machine, versions, commands\n")
    for key, value in results["machine"].items():
        w(f"- {key}: {value}")
    w(f"- load average at the end: {results['load_average_at_end']}")
    for key, value in results["git"].items():
        w(f"- {key}: {value}")
    w("")
    for key, value in results["versions"].items():
        w(f"- {key}: {value}")
    w("\nSettings: " + ", ".join(f"{k} = {v}" for k, v in results["settings"].items()) + "\n")
    w("```")
    for key, value in results["commands"].items():
        w(f"# {key}\n{value}")
    w("```")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the quick or full set and write results.json and RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000 only")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (≥ 5)")
    parser.add_argument("--sizes", default="", help="comma-separated N, e.g. 100,1000")
    parser.add_argument(
        "--results-dir", type=Path, default=BENCH, help="where results.json and RESULTS.md go"
    )
    parser.add_argument(
        "--work", type=Path, default=WORK, help="scratch folder (generated sites, outputs, logs)"
    )
    parser.add_argument(
        "--skip", default="", help="figures to skip: incremental,linkcheck,year-ahead,profile"
    )
    parser.add_argument(
        "--only",
        choices=("year-ahead",),
        help="measure this one case alone and record it in the existing results.json (the "
        "other figures stay as they were measured)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite RESULTS.md (and the targets in results.json) from results.json and "
        "NOTES.md, measuring nothing; with --quick, RESULTS-quick.md from results-quick.json",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results_file = args.results_dir / RESULT_FILES["quick" if args.quick else "full"][0]
        results = json.loads(results_file.read_text("utf-8"))
        results["targets"] = targets(results)  # derived from the figures: recomputed
        results_file.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        write_report(results, args.results_dir)
        return 0
    if args.only:
        return run_one_case(args)
    sizes = (
        tuple(int(n) for n in args.sizes.split(","))
        if args.sizes
        else QUICK_SIZES
        if args.quick
        else FULL_SIZES
    )
    skip = {part for part in args.skip.split(",") if part}
    mode = "quick" if args.quick else "full"
    if args.sizes or skip or args.runs != 5:
        mode = "custom"
    started = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    runner = Runner(sizes=sizes, runs=args.runs, mode=mode, log=log, work=args.work.resolve())
    shutil.rmtree(runner.logs, ignore_errors=True)
    runner.logs.mkdir(parents=True)
    if remove_generated(runner.work):
        log("bench: removed the generated sites of an unfinished run")
    peers_python = runner.ensure_peers()
    results: dict[str, Any] = {
        "mode": mode,
        "started_at": started_at,
        "machine": machine(),
        "versions": versions(peers_python),
        "git": git_state(),
        "settings": {
            "sizes": list(sizes),
            "runs": args.runs,
            "warmup_runs": 1,
            "programs": generate.DEFAULT_PROGRAMS,
            "seed": generate.DEFAULT_SEED,
            "today": TODAY,
            "sessions_per_year": generate.DEFAULT_RATE,
            "scheduled_ahead_days": generate.DEFAULT_AHEAD,
        },
    }
    with ExitStack() as servers:  # the link check's static server, from the focus N's builds
        measure_all(runner, results, sizes, skip, peers_python, servers)

    results["commands"] = runner.commands
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["duration_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results)
    full_file = args.results_dir / RESULT_FILES["full"][0]
    if mode == "quick" and full_file.exists():
        full = json.loads(full_file.read_text("utf-8"))
        results["full_run"] = {"started_at": full["started_at"], "commit": full["git"]["commit"]}
        results["compared_with_full"] = compared_with_full(results, full)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    json_name, report_name = RESULT_FILES[mode]
    (args.results_dir / json_name).write_text(
        json.dumps(results, indent=1) + "\n", encoding="utf-8"
    )
    write_report(results, args.results_dir)
    log(f"bench: wrote {relative(args.results_dir / json_name)} and {report_name}")
    remove_generated(runner.work)  # now, not at the start of the next run (see builds)
    for row in results["targets"]:
        mark = {True: "met", False: "MISSED", None: "not run"}[row["met"]]
        log(f"  {mark:8} {row['target']}: {row['measured']}")
    for row in results.get("compared_with_full", []):
        mark = "within" if row["within"] else "OUTSIDE"
        log(f"  {mark:8} {row['figure']}: {row['quick']} against {row['full']} ({row['change']})")
    return 0


def run_one_case(args: argparse.Namespace) -> int:
    """``--only``: one case, measured now and recorded beside the figures of the last run
    (results.json keeps when each case was measured, under ``measured_alone``)."""
    results_file = args.results_dir / "results.json"
    results = json.loads(results_file.read_text("utf-8"))
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    runner = Runner(
        sizes=(FOCUS_N,), runs=args.runs, mode="custom", log=log, work=args.work.resolve()
    )
    shutil.rmtree(runner.logs, ignore_errors=True)
    runner.logs.mkdir(parents=True)
    key = args.only.replace("-", "_")
    results[key] = runner.year_ahead()
    results.setdefault("measured_alone", {})[key] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_state(),
        "machine": machine(),
        "duration_s": round(time.perf_counter() - started, 1),
    }
    results.setdefault("commands", {}).update(runner.commands)
    results.pop("feed_guard", None)  # the case it replaces: a guard that failed the build
    results["targets"] = targets(results)
    results_file.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    write_report(results, args.results_dir)
    remove_generated(runner.work)
    for row in results["targets"]:
        if row["target"].startswith(f"{FOCUS_N:,} sessions in the next"):
            log(f"  {'met' if row['met'] else 'MISSED'}: {row['target']}: {row['measured']}")
    return 0


def remove_generated(work: Path) -> bool:
    """Delete the generated sites and their outputs (logs and profiles stay); True if any."""
    folders = [path for path in work.glob("n[0-9]*") if path.is_dir()]
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return bool(folders)


def write_report(results: dict[str, Any], folder: Path) -> None:
    """RESULTS.md (RESULTS-quick.md, RESULTS-custom.md: see RESULT_FILES) from the results
    and the hand-written NOTES.md."""
    notes_file = BENCH / "NOTES.md"
    notes = notes_file.read_text("utf-8") if notes_file.exists() else ""
    report = folder / RESULT_FILES[results["mode"]][1]
    report.write_text(markdown_report(results, notes), encoding="utf-8")


def measure_all(
    runner: Runner,
    results: dict[str, Any],
    sizes: Sequence[int],
    skip: set[str],
    peers_python: Path,
    servers: ExitStack,
) -> None:
    """Every figure, in order, into ``results``."""
    per_n: dict[int, dict[str, Any]] = {}
    folders: dict[int, Path] = {}
    focus = FOCUS_N if FOCUS_N in sizes else max(sizes)
    base = ""
    for n in sizes:
        folders[n] = runner.content(n)
        if n == focus and "linkcheck" not in skip:
            base = servers.enter_context(static_server(folders[n] / "out-ours"))
        per_n[n] = runner.builds(n, folders[n], peers_python, base if n == focus else "")
    results["build_s"] = {str(n): per_n[n]["build_s"]["ours"] for n in sizes}
    results["peak_mb"] = {str(n): per_n[n]["peak_mb"]["ours"] for n in sizes}
    results["build_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["ratio_vs_plain"]["ours"] for n in sizes
    }
    results["pelican_events_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["ratio_vs_plain"]["pelican_events"] for n in sizes
    }
    results["cpu_s"] = {str(n): per_n[n]["cpu_s"]["ours"] for n in sizes}
    results["user_s"] = {str(n): per_n[n]["user_s"]["ours"] for n in sizes}
    results["sys_s"] = {str(n): per_n[n]["sys_s"]["ours"] for n in sizes}
    results["build_user_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["user_ratio_vs_plain"]["ours"] for n in sizes
    }
    results["pelican_events_user_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["user_ratio_vs_plain"]["pelican_events"] for n in sizes
    }
    results["build_cpu_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["cpu_ratio_vs_plain"]["ours"] for n in sizes
    }
    results["pelican_events_cpu_ratio_vs_plain_pelican"] = {
        str(n): per_n[n]["cpu_ratio_vs_plain"]["pelican_events"] for n in sizes
    }
    results["peers"] = {
        peer: {
            "build_s": {str(n): per_n[n]["build_s"][peer] for n in sizes},
            "cpu_s": {str(n): per_n[n]["cpu_s"][peer] for n in sizes},
            "user_s": {str(n): per_n[n]["user_s"][peer] for n in sizes},
            "sys_s": {str(n): per_n[n]["sys_s"][peer] for n in sizes},
            "peak_mb": {str(n): per_n[n]["peak_mb"][peer] for n in sizes},
        }
        for peer in ("plain_pelican", "pelican_events")
    }
    results["files_written"] = {str(n): per_n[n]["files"] for n in sizes}
    results["feed_sizes"] = {str(n): per_n[n]["feed_sizes"] for n in sizes}
    largest = max(sizes)
    results["feeds"] = {
        "n": largest,
        "generation_s": per_n[largest]["feed_timings"],
        "sizes": per_n[largest]["feed_sizes"],
    }
    if "incremental" not in skip:
        results["incremental"] = runner.incremental(folders[focus])
        results["incremental_s"] = results["incremental"]["save_to_reload_s"]
        results["incremental_rebuild_s"] = results["incremental"]["rebuild_s"]
    if "linkcheck" not in skip:
        results["linkcheck"] = runner.linkchecks(focus, folders[focus], peers_python, base)
        servers.close()
        results["linkcheck_ratio_vs_linkchecker"] = results["linkcheck"]["ratio"]
    if "year-ahead" not in skip and runner.mode != "quick":  # full set only
        results["year_ahead"] = runner.year_ahead()
    if "profile" not in skip:
        # The quick set profiles its smallest N: cProfile triples a build's time, and the
        # quick set must stay under five minutes.
        profiled = min(sizes) if runner.mode == "quick" else focus
        results["profile"] = runner.profile(profiled, folders[profiled])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench: {error}")
