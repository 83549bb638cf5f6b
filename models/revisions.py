"""The migration scripts' head revisions, read from the files with the standard library only.

Importing Alembic (about half a second) or SQLAlchemy (about a third) just to learn whether a
database is current would dominate every start of the CLI, so the heads are parsed here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")


@lru_cache(maxsize=1)
def script_heads() -> frozenset[str]:
    """The head revisions: every revision no other revision names as its `down_revision`."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = re.search(r"^revision: str = ['\"]([^'\"]+)['\"]", source, re.MULTILINE)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = re.search(r"^down_revision: .*= (.*)$", source, re.MULTILINE)
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1) if down else ""))
    return frozenset(revisions - parents)
