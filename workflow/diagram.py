"""The state diagram (Mermaid) and the rule table in Markdown, generated from the table."""

from __future__ import annotations

from collections.abc import Iterable

from models.enums import PlanKind, PlanState, Role
from workflow.diagram_reports import report_markdown
from workflow.policy import WorkflowPolicy
from workflow.table import (
    CLOCKS,
    REGULATION,
    STATE_LABELS,
    TERMINAL,
    Rule,
    rules_for,
)
from workflow.table_corrections import CORRECTIONS

VARIANTS = (
    ("Annual and supplementary plans", PlanKind.ANNUAL, WorkflowPolicy()),
    ("Amendments (default: no committee review)", PlanKind.AMENDMENT, WorkflowPolicy()),
    (
        "Amendments with `amendment_requires_committee`",
        PlanKind.AMENDMENT,
        WorkflowPolicy(amendment_requires_committee=True),
    ),
)


def reachable_rules(kind: PlanKind, policy: WorkflowPolicy) -> list[Rule]:
    """The rows a plan of this kind can actually use under this policy (from creation on)."""
    rules = list(rules_for(kind, policy))
    reached: set[PlanState | None] = {None}
    grew = True
    while grew:
        before = len(reached)
        reached |= {r.dest for r in rules if r.source in reached}
        grew = len(reached) > before
    return [r for r in rules if r.source in reached]


def mermaid(kind: PlanKind, policy: WorkflowPolicy) -> str:
    lines = ["stateDiagram-v2"]
    rules = reachable_rules(kind, policy)
    states = {r.dest for r in rules}
    for state, (th, _en) in STATE_LABELS.items():
        if state in states:
            lines.append(f"    {state.value}: {state.value} ({th})")
    for rule in rules:
        roles = "/".join(sorted(r.value for r in rule.roles))
        source = "[*]" if rule.source is None else rule.source.value
        lines.append(f"    {source} --> {rule.dest.value}: {rule.action.value} [{roles}]")
    lines += [f"    {state.value} --> [*]" for state in PlanState if state in TERMINAL & states]
    return "\n".join(lines)


def markdown() -> str:
    out = [
        "# State machine",
        "",
        "Generated from `workflow/table.py` by `localplan workflow diagram --markdown`; "
        "a test fails when this file is stale. Do not edit by hand.",
        "",
        f"Legal basis: {REGULATION}.",
        "",
    ]
    for title, kind, policy in VARIANTS:
        out += [f"## {title}", "", "```mermaid", mermaid(kind, policy), "```", ""]
    out += ["## Rules", "", *_rule_rows(), "", "## Clocks", "", *_clock_rows()]
    out += ["", "## Corrections", "", *_correction_rows()]
    out += ["", *report_markdown()]
    return "\n".join(out) + "\n"


def _roles(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles)) or "–"


def _rule_rows() -> list[str]:
    out = [
        "| kind | from | action | to | roles | clause | reason | starts | closes | sets "
        "| content |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for _title, kind, policy in VARIANTS:
        for rule in reachable_rules(kind, policy):
            label = "amendment" if kind is PlanKind.AMENDMENT else "annual, supplementary"
            if kind is PlanKind.AMENDMENT and policy.amendment_requires_committee:
                label += " (committee)"
                if rule.committee is None:
                    continue  # already listed under the default variant
            out.append(
                f"| {label} | {rule.source.value if rule.source else '–'} | "
                f"{rule.action.value} | {rule.dest.value} | {_roles(rule.roles)} | "
                f"{rule.clause} | {'required' if rule.reason_required else ''} | "
                f"{', '.join(k.value for k in rule.starts)} | "
                f"{', '.join(k.value for k in rule.closes)} | {rule.sets_date or ''} | "
                f"{rule.content or ''} |"
            )
    return out


def _clock_rows() -> list[str]:
    out = [
        "| clock | days | clause | reminded | floor | extendable by | told of an extension |",
        "|---|---|---|---|---|---|---|",
    ]
    for clock in CLOCKS.values():
        out.append(
            f"| {clock.kind.value} ({clock.label_th}) | "
            f"{'to 31 December' if clock.until_december else clock.days} | {clock.clause} | "
            f"{_roles(clock.reminded)} | {'yes' if clock.floor else ''} | "
            f"{_roles(clock.extendable_by)} | {_roles(clock.extension_told)} |"
        )
    return out


def _correction_rows() -> list[str]:
    """Which field of which action's record may be corrected, by whom, and what it moves."""
    out = [
        "| action | field | roles | plan column | recounts | judges again | required |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in CORRECTIONS:
        out.append(
            f"| {row.action.value} | {row.field} ({row.label_th}) | {_roles(row.roles)} | "
            f"{row.column or ''} | {', '.join(k.value for k in row.restarts)} | "
            f"{', '.join(k.value for k in row.recloses)} | {'yes' if row.required else ''} |"
        )
    return out
