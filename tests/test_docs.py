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
