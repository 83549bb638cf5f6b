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
NAMES = [
    "commands", "startup", "peers", "sweep", "audit", "verify", "http", "memory", "content",
    "workbook", "duplicates", "documents", "alert_latency", "pack", "web", "report",
]
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
# `all` rewrites what lies between these lines and keeps the written analysis around them.
START, END = "<!-- bench all: start -->", "<!-- bench all: end -->"


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
            _splice(DOC.read_text(encoding="utf-8"), f"Run on {stamp}, {machine()}.", tables),
            encoding="utf-8",
        )
    return 0


def _splice(doc: str, stamp: str, tables: list[str]) -> str:
    """The document with the generated part between START and END replaced."""
    head, found, rest = doc.partition(START)
    if not found or END not in rest:
        raise SystemExit(f"{DOC} lacks the lines {START} … {END}")
    tail = rest.partition(END)[2]
    return "\n".join([head + START, "", stamp, "", *tables, END]) + tail


if __name__ == "__main__":
    sys.exit(main())
