"""Progress after a monitoring report is announced (docs/domain.md "Progress"), on both
engines: an entry as of a day on or before the end of the announced round is refused beside
its `as_of` field, by one entry and by a sheet, so the figures the report froze as of that day
stay the figures the board shows; a later as-of date is taken, and before the announcement
the same backdated entry is taken too."""

from __future__ import annotations

from sqlalchemy import Engine

from models.clock import FixedClock
from models.enums import Action, ReportRound
from tests.factories import Office
from tests.report_factories import FINDINGS, act, monitoring_member, new_report
from tests.report_world import DOING, _line, build_world
from workflow import progress, uow
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.progress import BatchInvalid


def _record(engine: Engine, ctx: Context, office: Office, plan_id: int, item_id: str,
            as_of: str) -> str:  # fmt: skip
    line = _line(item_id, DOING, "1000", "500", as_of)
    try:
        uow.run(engine, ctx.clock, lambda s: progress.record(
            s, ctx, plan_id=plan_id, actor=office.staff, item_id=item_id, data=line.data))
    except DomainError as error:  # fmt: skip
        return ",".join(f"{getattr(r, 'field', '')}:{r.code}" for r in error.reasons)
    return "ok"


def test_an_announced_round_closes_its_days_to_new_entries(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    plan_id, content = build_world(engine, ctx, clock, office)
    untouched = content.projects[60].id  # no entry yet
    monitor = monitoring_member(engine, clock, office)
    report = new_report(engine, ctx, office, ReportRound.HALF, 2562)
    for action, who, kw in ((Action.SUBMIT, office.staff, {}),
                            (Action.APPROVE, monitor, FINDINGS),
                            (Action.PRESENT, office.executive, {})):  # fmt: skip
        report = act(engine, ctx, report, action, who, **kw)
    # presented, not announced: a backdated entry is still taken
    assert _record(engine, ctx, office, plan_id, untouched, "30/03/2562") == "ok"
    act(engine, ctx, report, Action.ANNOUNCE, office.executive)
    other = content.projects[59].id
    assert _record(engine, ctx, office, plan_id, other, "31/03/2562") == (
        "as_of:progress_round_announced")
    assert _record(engine, ctx, office, plan_id, other, "01/04/2562") == "ok"
    sheet = [_line(content.projects[58].id, DOING, "1", "0", "15/03/2562")]
    try:
        uow.run(engine, ctx.clock, lambda s: progress.record_batch(
            s, ctx, plan_id=plan_id, actor=office.staff, lines=sheet, source="test"))
        raise AssertionError("the sheet was taken")
    except BatchInvalid as error:  # fmt: skip
        assert [r.code for r in error.reasons] == ["progress_round_announced"]
