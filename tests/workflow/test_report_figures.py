"""The monitoring report's figures (docs/domain.md "The report's figures") against values
counted by hand from tests/report_world.py's plan of 61 projects, on both engines; the as-of
date's rules; and the pure tally's zero denominators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock
from models.enums import ProgressStatus
from tests.factories import Office
from tests.report_world import build_world
from workflow.commands import Context
from workflow.errors import ValidationFailed
from workflow.report_figures import ReportFigures, Tally, report_figures, shown, tally

MARCH = date(2019, 3, 31)
S = ProgressStatus


def row(t: Tally) -> tuple[object, ...]:
    """A tally as the report prints it: counts with both percentages, then the money."""
    cells: list[object] = [t.items, t.approved]
    for s in (S.COMPLETED, S.IN_PROGRESS, S.NOT_STARTED, S.CANCELLED):
        c = t.status(s)
        cells += [c.count, shown(c.of_all), c.approved_count, shown(c.of_approved)]
    money = (t.planned_baht, t.approved_planned_baht, t.committed_baht, t.disbursed_baht)
    return (*cells, *(f"{m:.2f}" for m in money), shown(t.disbursed_of_planned))


# Written by hand from the fixture (see tests/report_world.py's docstring).
STRATEGY_1 = (30, 30, 12, "40.00", 12, "40.00", 8, "26.67", 8, "26.67", 7, "23.33", 7, "23.33",
              3, "10.00", 3, "10.00", "3000000.00", "3000000.00", "1840000.00", "1514008.00",
              "50.47")  # fmt: skip
STRATEGY_2 = (20, 10, 8, "40.00", 5, "50.00", 5, "25.00", 5, "50.00", 4, "20.00", 0, "0.00",
              3, "15.00", 0, "0.00", "1520000.00", "500000.00", "1000000.00", "700000.30",
              "46.05")  # fmt: skip
STRATEGY_3 = (11, 0, 1, "9.09", 0, "—", 0, "0.00", 0, "—", 10, "90.91", 0, "—", 0, "0.00",
              0, "—", "366666.63", "0.00", "33333.33", "33333.33", "9.09")  # fmt: skip
STRATEGY_4 = (0, 0, 0, "—", 0, "—", 0, "—", 0, "—", 0, "—", 0, "—", 0, "—", 0, "—",
              "0.00", "0.00", "0.00", "0.00", "—")  # fmt: skip
OVERALL = (61, 40, 21, "34.43", 17, "42.50", 13, "21.31", 13, "32.50", 21, "34.43", 7, "17.50",
           6, "9.84", 3, "7.50", "4886666.63", "3500000.00", "2873333.33", "2247341.63",
           "45.99")  # fmt: skip
EQUIPMENT = (3, 3, 1, "33.33", 1, "33.33", 1, "33.33", 1, "33.33", 1, "33.33", 1, "33.33",
             0, "0.00", 0, "0.00", "100500.50", "100500.50", "87900.00", "43900.00",
             "43.68")  # fmt: skip


@pytest.fixture
def world(engine: Engine, ctx: Context, clock: FixedClock, office: Office) -> int:
    plan_id, _ = build_world(engine, ctx, clock, office)
    return plan_id


def figures(engine: Engine, plan_id: int, as_of: date) -> ReportFigures:
    with Session(engine) as session:
        return report_figures(session, plan_id, as_of, today=date(2019, 6, 1))


def test_the_half_year_figures_are_the_hand_counted_ones(engine: Engine, world: int) -> None:
    got = figures(engine, world, MARCH)
    assert [s.number for s in got.strategies] == [1, 2, 3, 4]
    assert [row(s) for s in got.strategies] == [STRATEGY_1, STRATEGY_2, STRATEGY_3, STRATEGY_4]
    assert row(got.overall) == OVERALL
    assert row(got.equipment) == EQUIPMENT
    assert (len(got.projects), len(got.equipment_items)) == (61, 3)
    late = got.projects[20]  # completed as of 15/05/2562: not yet on 31/03/2562
    assert (late.status, late.entry_as_of, late.committed_baht) == (S.NOT_STARTED, None, 0)
    moved = got.projects[12]  # its 31/03 entry counts, not its 31/12 one
    assert (moved.status, moved.committed_baht, moved.disbursed_baht) == (
        S.IN_PROGRESS, Decimal("80000.00"), Decimal("40000.25"))  # fmt: skip
    assert moved.entry_as_of == MARCH and moved.approved
    assert not got.projects[40].approved and not got.projects[48].approved


def test_an_earlier_date_counts_only_the_entries_made_by_then(engine: Engine, world: int) -> None:
    got = figures(engine, world, date(2018, 12, 31))
    overall = got.overall
    assert (overall.status(S.IN_PROGRESS).count, overall.status(S.NOT_STARTED).count) == (8, 53)
    assert (overall.committed_baht, overall.disbursed_baht) == (Decimal("400000.00"), 0)
    assert shown(overall.status(S.IN_PROGRESS).of_approved) == "20.00"  # 8 of 40
    assert row(got.equipment)[2:4] == (0, "0.00")
    later = figures(engine, world, date(2019, 5, 15)).overall
    assert later.status(S.COMPLETED).count == 22 and later.disbursed_baht == Decimal(
        "2347341.63"
    )


def test_the_date_stays_in_the_fiscal_year_and_not_after_today(engine: Engine, world: int) -> None:
    for day, code in (
        (date(2018, 9, 30), "as_of_outside_fiscal_year"),
        (date(2019, 10, 1), "as_of_outside_fiscal_year"),
        (date(2019, 6, 2), "progress_as_of_future"),
    ):
        with pytest.raises(ValidationFailed) as err:
            figures(engine, world, day)
        assert [r.code for r in err.value.reasons] == [code]
    assert figures(engine, world, date(2018, 10, 1)).overall.items == 61


def test_a_connection_is_enough_and_the_entries_take_one_statement(
    engine: Engine, world: int
) -> None:
    from sqlalchemy import event

    from workflow.report_figures import entries_as_of

    with engine.connect() as conn:
        seen: list[str] = []
        event.listen(conn, "before_cursor_execute", lambda *a: seen.append(a[2]))
        assert row(report_figures(conn, world, MARCH).overall) == OVERALL
        seen.clear()
        got = entries_as_of(conn, figures(engine, world, MARCH).chain_plan_id, MARCH)
        selects = [q for q in seen if q.startswith("SELECT")]
        assert len(selects) == 1 and len(got) == 42  # 40 projects, 2 equipment rows


def test_nothing_counts_as_a_tally_of_dashes() -> None:
    empty = tally([], name="ว่าง")
    assert row(empty) == STRATEGY_4
