"""`python -m bench <name> [--quick]`, or `python -m bench all` to rewrite docs/benchmarks.md."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench.harness import machine
from models.clock import SystemClock

# Each bench is a module bench/<name>.py with `full() -> str` and `quick() -> str` (the table
# in Markdown); `all` runs them in this order.
NAMES = ["commands", "startup", "peers", "sweep", "audit"]
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Produced by `python -m bench all` (each bench alone: `python -m bench NAME`; CI runs
`python -m bench NAME --quick` on tiny sizes so the benches cannot rot). Each table gives
medians and min–max over rounds and the ratio to a baseline measured in the same run on the
same machine: these machines are shared and noisy, so ratios are what to compare.

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=[*NAMES, "all"])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one pass")
    args = parser.parse_args(argv)
    names = NAMES if args.name == "all" else [args.name]
    tables = []
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.{name}")
        tables.append(module.quick() if args.quick else module.full())
        print(tables[-1], flush=True)
    if args.name == "all" and not args.quick:
        stamp = SystemClock().now().date().isoformat()
        DOC.write_text(
            HEADER + f"Run on {stamp}, {machine()}.\n\n" + "\n".join(tables), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
