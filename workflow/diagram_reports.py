"""The monitoring reports' part of docs/state-machine.md (Mermaid and rule table), generated
from their rows (workflow/table_reports.py) as the plans' part is from workflow/table.py."""

from __future__ import annotations

from models.enums import ReportRound, ReportState
from workflow.table_reports import (
    REPORT_RULES,
    REPORT_STATE_LABELS,
    REPORT_TERMINAL,
    report_rules_for,
)


def report_mermaid(round_: ReportRound) -> str:
    lines = ["stateDiagram-v2"]
    rules = list(report_rules_for(round_))
    states = {r.dest for r in rules}
    for state, (th, _en) in REPORT_STATE_LABELS.items():
        if state in states:
            lines.append(f"    {state.value}: {state.value} ({th})")
    for rule in rules:
        roles = "/".join(sorted(r.value for r in rule.roles))
        source = "[*]" if rule.source is None else rule.source.value
        lines.append(f"    {source} --> {rule.dest.value}: {rule.action.value} [{roles}]")
    lines += [f"    {s.value} --> [*]" for s in ReportState if s in REPORT_TERMINAL & states]
    return "\n".join(lines)


def report_markdown() -> list[str]:
    """The section's lines: the diagram of each round and the rows."""
    out = ["## Monitoring reports", ""]
    for round_ in ReportRound:
        out += [f"### Round `{round_.value}`", "", "```mermaid", report_mermaid(round_), "```",
                ""]
    out += [
        "| rounds | from | action | to | roles | clause | reason | findings | starts | closes "
        "| sets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in REPORT_RULES:
        out.append(
            f"| {', '.join(sorted(r.value for r in rule.rounds))} | "
            f"{rule.source.value if rule.source else '–'} | {rule.action.value} | "
            f"{rule.dest.value} | {', '.join(sorted(r.value for r in rule.roles))} | "
            f"{rule.clause} | {'required' if rule.reason_required else ''} | "
            f"{'required' if rule.findings_required else ''} | "
            f"{', '.join(k.value for k in rule.starts)} | "
            f"{', '.join(k.value for k in rule.closes)} | {rule.sets_date or ''} |"
        )
    return out
