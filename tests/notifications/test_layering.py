"""APScheduler stays in api/scheduler.py (import-linter's contracts cover the other packages;
this covers the rest of api/ too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_api_scheduler_imports_apscheduler() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for package in ("api", "workflow", "models", "notifications")
        for path in (ROOT / package).rglob("*.py")
        if "apscheduler" in _imports(path)
    )
    assert users == ["api/scheduler.py"]


def test_notifications_never_imports_workflow_and_back() -> None:
    for package, other in (("notifications", "workflow"), ("workflow", "notifications")):
        for path in (ROOT / package).rglob("*.py"):
            assert other not in _imports(path), path
