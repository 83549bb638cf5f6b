"""IN lists of a fixed width, so that one statement compiled once (models/fastsql.py) serves
every page of a list: a page's ids are bound as `in_0` … `in_{width-1}`, the last id repeated
to fill the width (an id listed twice is the same list). Widths are multiples of a page (25),
so a list has one or two compiled forms, not one per length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement

from models.fastsql import Prepared

STEP = 25  # a page of the dashboard and of the board


def width_for(count: int) -> int:
    """The width of the list that holds `count` ids."""
    return max(STEP, -(-count // STEP) * STEP)


def among(column: ColumnElement[Any], width: int) -> ColumnElement[bool]:
    """`column IN (:in_0, …)`, `width` parameters."""
    return column.in_([sa.bindparam(f"in_{i}") for i in range(width)])


def bound(ids: Sequence[int], width: int) -> dict[str, int]:
    """The parameters of `among(…, width)` for `ids` (not empty, at most `width`)."""
    padded = [*ids, *[ids[-1]] * (width - len(ids))]
    return {f"in_{i}": v for i, v in enumerate(padded)}


class ByWidth:
    """A statement over a fixed IN list, built and prepared once per width."""

    def __init__(self, build: Callable[[int], Any]) -> None:
        self._build = build
        self._prepared: dict[int, Prepared] = {}

    def rows(
        self, conn: sa.Connection, ids: Sequence[int], params: dict[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """The rows for these ids (not empty), each through its column's result processor."""
        width = width_for(len(ids))
        prepared = self._prepared.get(width)
        if prepared is None:
            prepared = self._prepared[width] = Prepared(self._build(width))
        return prepared.rows(conn, {**bound(ids, width), **(params or {})})
