"""The transparency checklist (docs/domain.md "The transparency checklist"): the data files
load and name registered rules, a wrong file is refused with its field named, and the O11 /
O12 / O13 rules read real posted plans and real progress entries, on both engines."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.clock import FixedClock, bangkok_noon
from models.enums import Action, ReportRound, ReportState
from models.organization import Organization
from tests.factories import Office, make_office, perform_action
from tests.helpers import PLACES
from tests.progress_factories import plan_in_force, record
from tests.report_factories import monitoring_member, walk
from workflow import ita
from workflow.commands import Context
from workflow.errors import Forbidden, NotFound
from workflow.ita_data import (
    DATA_DIR,
    ItaDataError,
    ItaYear,
    available_years,
    load_year,
    parse_year,
)
from workflow.ita_rules import RULES

ROUND_END = date(2019, 3, 31)


def year_2562(window_start: date = date(2019, 4, 1)) -> ItaYear:
    """An ITA year over fiscal year 2562 (the tests' plans): the 2567 file's items moved back."""
    data: dict[str, Any] = tomllib.loads((DATA_DIR / "2567.toml").read_text(encoding="utf-8"))
    data["year"] = 2562
    data["window"] = {"start": window_start, "end": window_start + timedelta(days=60)}
    for item in data["items"]:
        item["fiscal_year"] -= 5
        if "round" in item:
            item["round"] = {"start": date(2018, 10, 1), "end": ROUND_END}
    return parse_year(data, where="test")


def test_every_year_loads_and_names_registered_rules() -> None:
    years = available_years()
    assert {2566, 2567} <= set(years)
    for year in years:
        found = load_year(year)
        assert found.year == year and found.window.start <= found.window.end
        assert [i.code for i in found.items] == ["O11", "O12", "O13"]
        for item in found.items:
            assert item.satisfied_by in RULES, (year, item.code, item.satisfied_by)
            assert item.title and item.satisfied_with and item.satisfied_with_th
        # no official text was at hand: the file must say its mapping is an assumption
        assert found.basis == "assumption" and "manual" in found.basis_note
    o13 = load_year(2567).item("O13")
    assert o13 is not None and o13.fiscal_year == 2566  # the annual result of the year before


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"year": 67}, "year must be a Buddhist-Era year"),
        ({"basis": "guess"}, "basis must be one of"),
        ({"items": []}, "at least one [[items]]"),
        ({"window": {"start": date(2567, 4, 1), "end": date(2567, 5, 31)}}, "Common Era"),
        ({"window": {"start": date(2024, 6, 1), "end": date(2024, 5, 31)}}, "is after end"),
        ({"window": {"start": "1 เม.ย. 2567", "end": date(2024, 5, 31)}}, "must be a date"),
    ],
)
def test_a_wrong_file_is_refused_naming_the_field(change: dict[str, Any], says: str) -> None:
    data = tomllib.loads((DATA_DIR / "2567.toml").read_text(encoding="utf-8")) | change
    with pytest.raises(ItaDataError, match="^bad.toml: .*" + says.replace("[", r"\[")):
        parse_year(data, where="bad.toml")


def test_a_wrong_item_is_refused_naming_the_item() -> None:
    data = tomllib.loads((DATA_DIR / "2567.toml").read_text(encoding="utf-8"))
    data["items"][1]["code"] = "O-12"
    with pytest.raises(ItaDataError, match=r"items\[1\]: code must look like O11"):
        parse_year(data, where="bad.toml")
    data["items"][1]["code"] = "O11"
    with pytest.raises(ItaDataError, match="a code appears twice"):
        parse_year(data, where="bad.toml")
    with pytest.raises(ItaDataError, match="no ITA data for year 2500"):
        load_year(2500)


def _post(engine: Engine, ctx: Context, office: Office, plan_id: int) -> None:
    perform_action(engine, ctx, plan_id, Action.POST, office.staff, places=PLACES)


def _statuses(rows: list[ita.Row]) -> dict[str, dict[str, str]]:
    return {r.code: {line.code: line.status for line in r.items} for r in rows}


def _orgs(engine: Engine) -> list[Organization]:
    with Session(engine) as s:
        return sorted(s.exec(select(Organization)).all(), key=lambda o: o.code)


def test_o11_and_o12_read_the_board_and_progress(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    posted, content = plan_in_force(engine, ctx, office, year=2562)
    _post(engine, ctx, office, posted)
    late = make_office(engine, clock, "6660604")  # announced, never posted
    plan_in_force(engine, ctx, late, year=2562)
    make_office(engine, clock, "6660605")  # nothing at all
    clock.set(bangkok_noon(date(2018, 12, 3)))
    ids = [p.id for p in content.projects]
    record(
        engine,
        ctx,
        posted,
        office.staff,
        ids[0],
        status="in_progress",
        committed_baht="50000",
        disbursed_baht="20000",
        started_on="1/11/2561",
    )
    with Session(engine) as s:
        rows = ita.assess(s, year_2562(), _orgs(engine), today=date(2018, 12, 3))
    assert _statuses(rows) == {
        "6660603": {"O11": "ok", "O12": "ok", "O13": "not_yet"},
        "6660604": {"O11": "not_yet", "O12": "not_yet", "O13": "not_yet"},
        "6660605": {"O11": "not_yet", "O12": "not_yet", "O13": "not_yet"},
    }
    first = rows[0].items
    assert first[0].links == (f"/notices/{posted}/content", f"/notices/{posted}/plan.pdf")
    assert first[0].note_en == "4 projects"
    assert first[1].links == (f"/board/plans/{posted}/progress",)
    assert first[1].note_en == "1 items as of 2018-12-03"
    with Session(engine) as s:  # the window is open: what is not there is missing
        rows = ita.assess(s, year_2562(date(2018, 12, 1)), _orgs(engine), today=date(2018, 12, 3))
    assert _statuses(rows)["6660604"] == {"O11": "missing", "O12": "missing", "O13": "missing"}
    assert rows[1].missing == ["O11", "O12", "O13"]


def test_o13_is_the_posted_annual_report_of_its_year(
    engine: Engine, ctx: Context, office: Office
) -> None:
    """O13 of the shifted year looks at fiscal year 2561 (the year before): that year's annual
    report posted satisfies it, with its board link; an announced one, another round's or
    another year's does not."""
    monitor = monitoring_member(engine, ctx.clock, office)  # type: ignore[arg-type]
    other = make_office(engine, ctx.clock, "6660604")  # type: ignore[arg-type]
    other_monitor = monitoring_member(engine, ctx.clock, other)  # type: ignore[arg-type]
    walk(engine, ctx, other, other_monitor, ReportRound.ANNUAL, ReportState.ANNOUNCED, year=2561)
    walk(engine, ctx, other, other_monitor, ReportRound.HALF, ReportState.POSTED, year=2561)
    walk(engine, ctx, other, other_monitor, ReportRound.ANNUAL, ReportState.POSTED, year=2560)
    posted = walk(engine, ctx, office, monitor, ReportRound.ANNUAL, ReportState.POSTED, year=2561)
    today = date(2019, 4, 20)
    with Session(engine) as s:
        rows = ita.assess(s, year_2562(), _orgs(engine), today=today)
    assert _statuses(rows)["6660603"]["O13"] == "ok"
    assert rows[0].items[2].links == (f"/board/reports/{posted.id}",)
    assert _statuses(rows)["6660604"]["O13"] == "missing"


def test_progress_outside_the_round_does_not_satisfy_o12(
    engine: Engine, ctx: Context, office: Office
) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    posted, content = plan_in_force(engine, ctx, office, year=2562)
    _post(engine, ctx, office, posted)
    clock.set(bangkok_noon(date(2019, 4, 20)))
    record(engine, ctx, posted, office.staff, content.projects[0].id, status="not_started")
    with Session(engine) as s:  # as of 20 April: after the round's end, 31 March
        rows = ita.assess(s, year_2562(), _orgs(engine), today=date(2019, 4, 20))
    assert _statuses(rows)["6660603"]["O12"] == "missing"
    record(
        engine,
        ctx,
        posted,
        office.staff,
        content.projects[1].id,
        status="not_started",
        as_of="31/3/2562",
    )
    with Session(engine) as s:
        rows = ita.assess(s, year_2562(), _orgs(engine), today=date(2019, 4, 20))
    assert _statuses(rows)["6660603"]["O12"] == "ok"
    assert rows[0].items[1].note_en == "1 items as of 2019-03-31"


def test_who_sees_which_checklist(engine: Engine, ctx: Context, office: Office) -> None:
    other = make_office(engine, ctx.clock, "6660606", province="ลำปาง")  # type: ignore[arg-type]
    with Session(engine) as s:
        _, row = ita.for_organization(
            s,
            office.staff,
            year=2567,
            organization_id=office.organization_id,
            today=date(2024, 1, 5),
        )
        assert row.code == "6660603" and [line.status for line in row.items] == [
            "not_yet",
            "not_yet",
            "not_yet",
        ]
        with pytest.raises(NotFound):
            ita.for_organization(
                s,
                office.staff,
                year=2567,
                organization_id=other.organization_id,
                today=date(2024, 1, 5),
            )
        with pytest.raises(NotFound):
            ita.for_organization(
                s,
                office.admin,
                year=2567,
                organization_id=office.organization_id,
                today=date(2024, 1, 5),
            )
        with pytest.raises(NotFound) as err:
            ita.year_data(2501)
        assert err.value.reasons[0].code == "ita_year_not_found"
        _, rows = ita.across_scope(
            s, office.auditor, year=2567, filters=ita.ScopeFilters(), today=date(2024, 4, 5)
        )
        assert [r.code for r in rows] == ["6660603"]  # the auditor of พิจิตร
        _, rows = ita.across_scope(
            s,
            office.auditor,
            year=2567,
            filters=ita.ScopeFilters(status="ok"),
            today=date(2024, 4, 5),
        )
        assert rows == []
        with pytest.raises(Forbidden):
            ita.across_scope(
                s, office.staff, year=2567, filters=ita.ScopeFilters(), today=date(2024, 4, 5)
            )
        header, cells = ita.csv_table(ita.year_data(2567), [row])
    assert header[3].startswith("O11 แผนดำเนินงาน") and cells[0][3] == "ยังไม่ถึงช่วงประเมิน"
