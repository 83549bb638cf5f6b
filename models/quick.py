"""Read-only queries on a migrated SQLite file through the standard library's `sqlite3`.

For the commands that must answer fast (`localplan deadlines`): importing SQLAlchemy alone costs
about a third of a second. `read_current` answers only when that cannot differ from the normal
path (`make_engine` + `upgrade` + a session): the URL names a plain SQLite file that exists and
is at the latest revision. Otherwise it returns `None` and the caller takes the normal path,
which creates, migrates or reports an unavailable database exactly as before.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from models.revisions import script_heads

# sqlite:///relative.db or sqlite:////absolute.db: no query string (URI options, read-only
# flags), no escapes, no in-memory database. Anything else goes through SQLAlchemy.
_PLAIN_FILE = re.compile(r"^sqlite(?:\+pysqlite)?:///([^?#%]+)$")
BUSY_SECONDS = 30  # as make_engine: wait for a writer instead of failing


def sqlite_file(url: str) -> Path | None:
    """The file a plain SQLite URL names, or None for any other URL."""
    found = _PLAIN_FILE.match(url)
    if found is None or found.group(1) == ":memory:":
        return None
    return Path(found.group(1))


def read_current(url: str, sql: str) -> list[tuple[Any, ...]] | None:
    """The rows of `sql` if `url` is an existing SQLite file at the latest revision, else None.

    The revision check and the query run in one read transaction."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None  # the normal path creates and migrates the file
    try:
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")
        heads = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        if heads != script_heads():
            return None  # behind (or ahead): the normal path migrates or reports it
        rows = conn.execute(sql).fetchall()
        conn.execute("COMMIT")
    except sqlite3.Error:
        return None  # no alembic_version yet, locked past the timeout…: as the normal path
    finally:
        conn.close()
    return rows
