"""`python -m bench <name> [--quick]`, or `python -m bench all` to rewrite docs/benchmarks.md."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bench import commands, startup
from bench.harness import machine
from models.clock import SystemClock

FULL: dict[str, Callable[[], str]] = {
    "commands": lambda: commands.run(),
    "startup": lambda: startup.run(),
}
QUICK: dict[str, Callable[[], str]] = {
    "commands": lambda: commands.run(plans=2_000, ops=20, rounds=2),
    "startup": lambda: startup.run(rounds=1),
}
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Produced by `python -m bench all` (each bench alone: `python -m bench NAME`; CI runs
`python -m bench NAME --quick` on tiny sizes so the benches cannot rot). Each table gives
medians and min–max over rounds and the ratio to a baseline measured in the same run on the
same machine: these machines are shared and noisy, so ratios are what to compare.

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=[*FULL, "all"])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one pass")
    args = parser.parse_args(argv)
    chosen = QUICK if args.quick else FULL
    names = list(chosen) if args.name == "all" else [args.name]
    tables = []
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        tables.append(chosen[name]())
        print(tables[-1], flush=True)
    if args.name == "all" and not args.quick:
        stamp = SystemClock().now().date().isoformat()
        DOC.write_text(
            HEADER + f"Run on {stamp}, {machine()}.\n\n" + "\n".join(tables), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
