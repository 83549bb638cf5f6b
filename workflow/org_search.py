"""Finding an organization as a person types it: by its code, or by a part of its name
("แหลมรัง" finds องค์การบริหารส่วนตำบลแหลมรัง). One rule for every search that offers it (the
public board and reports, an auditor's plans and ITA rows): the text is matched as typed, so
"%" and "_" are characters, not SQL's wildcards."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement

ESCAPE = "/"


def pattern(text: str) -> str:
    """`text` for LIKE with ESCAPE '/': its wildcards and the escape character escaped."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def matches(code: Any, name: Any, text: str) -> ColumnElement[bool]:
    """The organization whose `code` is `text` or whose `name` contains it."""
    return matches_bound(code, name, text, pattern(text))


def matches_bound(code: Any, name: Any, text: Any, like: Any) -> ColumnElement[bool]:
    """`matches` in a statement compiled once (models/fastsql.py): `text` and `like` are bound
    parameters, `like` bound to `pattern(text)`."""
    return sa.or_(code == text, name.contains(like, escape=ESCAPE))
