"""Generated docs stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from workflow.diagram import markdown

ROOT = Path(__file__).resolve().parents[1]


def test_state_machine_doc_is_generated_from_the_table() -> None:
    current = (ROOT / "docs" / "state-machine.md").read_text(encoding="utf-8")
    assert current == markdown(), (
        "docs/state-machine.md is stale: run `localplan workflow diagram --markdown "
        "> docs/state-machine.md`"
    )


def test_every_clause_in_the_table_is_explained_in_the_legal_basis() -> None:
    from workflow.table import CLOCKS, RULES

    legal = (ROOT / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    for clause in {r.clause for r in RULES} | {c.clause for c in CLOCKS.values()}:
        assert clause in legal
    for rule in RULES:
        assert f"`{rule.action.value}`" in legal


def test_every_report_row_is_explained_in_the_legal_basis() -> None:
    """The monitoring reports' section names each row's action and clause."""
    from workflow.table_reports import REPORT_CLOCKS, REPORT_RULES

    legal = (ROOT / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    section = legal.split("## Monitoring reports", 1)[1]
    for rule in REPORT_RULES:
        assert f"`{rule.action.value}`" in section and rule.clause in section
    for clock in REPORT_CLOCKS.values():
        assert f"`{clock.kind.value}`" in section


def test_every_correction_row_is_explained_in_the_legal_basis() -> None:
    """The corrections section names each (action, field) row of the table and its roles."""
    from workflow.table_corrections import CORRECTIONS

    legal = (ROOT / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    section = legal.split("## Corrections", 1)[1]
    for row in CORRECTIONS:
        roles = ", ".join(sorted(r.value for r in row.roles))
        assert f"| `{row.action.value}` | `{row.field}` | {roles} |" in section
