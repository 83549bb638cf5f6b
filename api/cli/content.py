"""`localplan content …`: the plan's content from the command line. `content summary` prints
ผด.01 (workflow.summary): with `--json` exactly what `GET /api/v1/plans/{id}/summary`'s
`summary_data` part is, otherwise a Thai table."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.common import Reported, fail, session
from api.cli.lazy_typer import PlainCommand

if TYPE_CHECKING:
    from models.store import PlanRow

content_app = typer.Typer(no_args_is_help=True, help="The plan's content (ผด.01, ผด.02).")


def _money(value: str) -> str:
    return f"{Decimal(value):,.2f}"


def _table(plan: PlanRow, revision: int, data: dict[str, Any]) -> str:
    """ผด.01 as a readable Thai table (Buddhist-Era dates)."""
    from models.thai_dates import format_thai_date

    lines = [
        f"ผด.01 บัญชีสรุปจำนวนโครงการและงบประมาณ: {plan.title}",
        f"แผนที่ {plan.id} ปีงบประมาณ พ.ศ. {plan.fiscal_year_be} สถานะ {plan.state.value} "
        f"ฉบับแก้ไขที่ {revision} (ปรับปรุงล่าสุด {format_thai_date(plan.last_effective_on)})",
        "",
        f"{'ยุทธศาสตร์':<48} {'โครงการ':>8} {'ร้อยละ':>7} {'งบประมาณ (บาท)':>18} {'ร้อยละ':>7}",
    ]
    for row in data["by_strategy"]:
        lines.append(
            f"{row['number']}. {row['strategy'][:44]:<45} {row['projects']:>8} "
            f"{row['projects_percent']:>7} {_money(row['budget_baht']):>18} "
            f"{row['budget_percent']:>7}"
        )
    lines += [
        f"{'รวม':<48} {data['total_projects']:>8} {'':>7} "
        f"{_money(data['total_budget_baht']):>18}",
        f"{'  ขององค์กรปกครองส่วนท้องถิ่น':<48} {data['own_projects']:>8} {'':>7} "
        f"{_money(data['own_budget_baht']):>18}",
        f"{'  ของหน่วยงานอื่น':<48} {data['outside_projects']:>8} {'':>7} "
        f"{_money(data['outside_budget_baht']):>18}",
        f"{'ครุภัณฑ์ (ผด.02/1)':<48} {data['equipment_items']:>8} {'':>7} "
        f"{_money(data['equipment_budget_baht']):>18}",
    ]
    if plan.budget_baht is not None:
        lines.append(f"งบประมาณของแผน (budget_baht): {plan.budget_baht:,.2f} บาท")
    return "\n".join(lines)


def _plan_id(raw: str | None) -> int:
    """--plan N: a plan's id (the only way to name one here), or the one-line failure."""
    if raw is None:
        fail("give --plan N (a plan's id)")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 2**31 - 1:
        fail(f"--plan must be a plan's id (a whole number from 1), not {raw!r}")
    return int(raw)


@content_app.command("summary", cls=PlainCommand)
def content_summary(
    plan: Annotated[str | None, typer.Option("--plan", help="the plan's id")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="the figures as one JSON object")] = False,
) -> None:
    """ผด.01 of a plan's current content: projects and budget per strategy, and totals."""
    from models import store
    from models.enums import Role
    from workflow import content
    from workflow.actors import Actor
    from workflow.summary import summarize, summary_data

    plan_id = _plan_id(plan)
    reader = Actor(user_id=None, username="cli", role=Role.SYSTEM)  # the operator reads all
    with Reported(), session() as opened:
        draft = content.read_draft(opened, plan_id=plan_id, actor=reader)
        row = store.PLANS.row(opened.connection(), plan_id)
    assert row is not None  # read_draft found it
    data = summary_data(summarize(draft.content))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(_table(row, draft.revision, data))
