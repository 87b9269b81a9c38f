"""Run one command as the only child of this process; write its wall time and peak memory.

``python measure.py --result R.json --stdout O --stderr E -- COMMAND...``

This wrapper exists so every figure is one whole process, measured alone: the wall time is
taken with ``time.perf_counter`` around the child, and the peak resident memory is
``getrusage(RUSAGE_CHILDREN).ru_maxrss``, which here covers exactly that one child (and any
process it waited for), never an earlier measurement.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    """Run the command, write the JSON result, exit 0 (the child's exit code is in the JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--stdout", type=Path, required=True)
    parser.add_argument("--stderr", type=Path, required=True)
    parser.add_argument("--cwd", type=Path, default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    with args.stdout.open("wb") as out, args.stderr.open("wb") as err:
        started = time.perf_counter()
        completed = subprocess.run(command, stdout=out, stderr=err, cwd=args.cwd, check=False)
        wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "wall_s": wall,
        "peak_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
        "user_s": usage.ru_utime,
        "system_s": usage.ru_stime,
        "returncode": completed.returncode,
    }
    args.result.write_text(json.dumps(result) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
