"""`localplan orgs set` and `localplan document notice|plan` on a real database file: the
settings recorded, the stored ประกาศ written out byte for byte, bad input one line, exit 2."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app as cli_app
from documents.pdf_papers import announce_renderer
from documents.pdf_text import extract
from models.db import read_session
from models.document import DocumentKind
from models.enums import PlanKind, PlanState
from models.organization import Organization
from tests.factories import Office
from tests.helpers import walk
from workflow.commands import Context
from workflow.papers import announced_document


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli_app, list(args), env={"LOCALPLAN_DATABASE_URL": db_url})
    return result.exit_code, result.stdout, result.stderr


def test_settings_and_papers_from_the_cli(
    db_url: str, engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    with read_session(engine) as session:
        org = session.get(Organization, office.organization_id)
        assert org is not None
        code = org.code
    emblem = tmp_path / "emblem.jpg"
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(out, format="JPEG")
    emblem.write_bytes(out.getvalue())
    done = run(
        db_url,
        "orgs",
        "set",
        code,
        "--executive-name",
        "นายสมชาย ใจดี",
        "--executive-title",
        "นายกองค์การบริหารส่วนตำบลทดสอบ",
        "--place",
        "ป้ายประกาศ อบต.",
        "--emblem",
        str(emblem),
    )
    assert done[0] == 0, done
    bad = run(db_url, "orgs", "set", code, "--website", "no-scheme.example")
    assert bad[0] == 2 and len(bad[2].strip().splitlines()) == 1
    papers = replace(ctx, renderer=announce_renderer(None))
    plan = walk(engine, papers, office, PlanKind.ANNUAL, PlanState.ANNOUNCED)
    target = tmp_path / "notice.pdf"
    code_, printed, _ = run(db_url, "document", "notice", "--plan", str(plan.id), "-o", str(target))
    assert code_ == 0
    with read_session(engine) as session:
        stored = announced_document(session, plan_id=plan.id, kind=DocumentKind.NOTICE_PDF)
    assert stored is not None and target.read_bytes() == stored[1]
    assert hashlib.sha256(stored[1]).hexdigest() in printed
    assert "(นายสมชายใจดี)" in "".join("".join(extract(stored[1])).split())
    book = tmp_path / "plan.pdf"
    assert run(db_url, "document", "plan", "--plan", str(plan.id), "-o", str(book))[0] == 0
    assert book.read_bytes().startswith(b"%PDF-")
    missing = run(db_url, "document", "plan", "--plan", "999999", "-o", str(book))
    assert missing[0] == 2
