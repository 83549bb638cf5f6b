"""The papers made once at the announcement and checked by `audit verify` on both engines: the
renderer the api hands to the command (documents/pdf_papers.py) runs in the announce
transaction, the files are stored by their SHA-256, the record names them, and verify
re-hashes them (docs/integrity.md "Documents")."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from documents.pdf_papers import announce_renderer
from models.db import read_session
from models.document import DocumentKind
from models.enums import PlanKind, PlanState
from models.migrations.append_only import drop_guards
from tests.factories import Office
from tests.helpers import walk
from workflow.audit import verify
from workflow.commands import Context
from workflow.papers import announce_details, announced_document


@pytest.fixture
def announced(engine: Engine, ctx: Context, office: Office) -> int:
    papers = replace(ctx, renderer=announce_renderer("https://plan.example.go.th"))
    return walk(engine, papers, office, PlanKind.ANNUAL, PlanState.ANNOUNCED).id


def problems(engine: Engine) -> set[str]:
    with read_session(engine) as session:
        return {b.problem for b in verify(session).breaks}


def test_the_announcement_stores_what_its_record_names(engine: Engine, announced: int) -> None:
    with read_session(engine) as session:
        details = announce_details(session, plan_id=announced)
        stored = announced_document(session, plan_id=announced, kind=DocumentKind.NOTICE_PDF)
    assert details is not None and stored is not None
    assert details["signer"]["capacity"] == "executive"
    named = details["documents"]["notice_pdf"]["sha256"]
    assert hashlib.sha256(stored[1]).hexdigest() == named == stored[0].sha256
    assert stored[1].startswith(b"%PDF-")
    assert problems(engine) == set()


def test_verify_finds_a_changed_file(engine: Engine, announced: int) -> None:
    with engine.begin() as conn:
        drop_guards(conn, ("document_file",))
        conn.execute(sa.text("UPDATE document_file SET data = :d"), {"d": b"%PDF-1.7 forged"})
    assert "document_hash_mismatch" in problems(engine)


def test_the_files_cannot_be_changed_in_place(engine: Engine, announced: int) -> None:
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("UPDATE document_file SET data = :d"), {"d": b"x"})
