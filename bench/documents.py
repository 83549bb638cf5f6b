"""`documents`: the plan book of a 300-project plan and the ประกาศ, as the announcement renders
them (templates, WeasyPrint, the text layer corrected), against WeasyPrint rendering a plain
HTML table of the same 300 rows in the same font (the engine's own cost, with nothing of
ours). Rounds alternate, after a warm-up of each; one process, the fonts fixed up once."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from html import escape

from bench.harness import Latency, latency_table, versions
from documents import pdf, pdf_fonts, pdf_notice, pdf_plan
from models.enums import PlanKind
from tests.documents.plans import plan_content
from workflow.content_model import Content
from workflow.papers import Signer

TARGET = "the plan book ≤ 3× the plain table of its rows; the ประกาศ ≤ 1 s"
PROJECTS = 300
ORG = "องค์การบริหารส่วนตำบลแหลมรัง"


def full() -> str:
    return run(rounds=3)


def quick() -> str:
    return run(rounds=1, projects=60)


def plain_table(content: Content) -> str:
    """The same rows as ผด.02, as one plain table: what WeasyPrint costs by itself."""
    rows = "".join(
        f"<tr><td>{p.number}</td><td>{escape(p.name)}</td><td>{escape(p.activity)}</td>"
        f"<td>{p.budget_baht:,}</td><td>{escape(p.location)}</td><td>{escape(p.unit)}</td></tr>"
        for p in content.projects
    )
    return (
        f"<html><head><style>{pdf_fonts.font_faces_css()} @page {{ size: A4 landscape }} "
        "body { font-family: 'LocalplanThai'; font-size: 12pt } "
        "td { border: 0.6pt solid #000 }</style></head>"
        f"<body><table>{rows}</table></body></html>"
    )


def run(rounds: int, projects: int = PROJECTS) -> str:
    from weasyprint import HTML

    content = plan_content(projects, equipment=10)
    book = pdf_plan.book(
        content,
        title="แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562",
        fiscal_year_be=2562,
        organization=ORG,
        district="บ้านนา",
        province="นครนายก",
        emblem_uri=None,
        content_version=1,
        content_sha256="0" * 64,
    )
    notice = pdf_notice.notice_view(
        organization=ORG,
        kind=PlanKind.ANNUAL,
        number=1,
        fiscal_year_be=2562,
        announced_on=date(2018, 10, 25),
        signer=Signer("นายสมชาย ใจดี", f"นายก{ORG}"),
        places=(f"ป้ายประกาศ ที่ทำการ{ORG}", "เว็บไซต์ https://laemrang.go.th"),
        emblem_uri=None,
        online_url="https://localplan.example.go.th/notices/1",
    )
    plain = plain_table(content)
    measured: dict[str, Callable[[], object]] = {
        f"WeasyPrint, a plain table of {projects} rows": lambda: HTML(string=plain).write_pdf(),
        f"the plan book, {projects} projects": lambda: pdf.render("plan.html", b=book),
        "the ประกาศ": lambda: pdf.render("notice.html", n=notice),
    }
    seconds: dict[str, list[float]] = {name: [] for name in measured}
    for operation in measured.values():  # warm-up: fonts, templates, WeasyPrint's caches
        operation()
    for _ in range(rounds):
        for name, operation in measured.items():
            start = time.perf_counter()
            operation()
            seconds[name].append(time.perf_counter() - start)
    names = list(measured)
    rows = [
        Latency(names[0], seconds[names[0]]),
        Latency(names[1], seconds[names[1]], baseline=names[0]),
        Latency(names[2], seconds[names[2]], baseline=names[0]),
    ]
    notes = (
        f"One process; {rounds} round(s) after a warm-up. The plan book: cover, foreword, "
        f"contents, บทนำ, ผด.01, ผด.02 ({projects} projects under 3 strategies and 4 แผนงาน, "
        "month bars), ผด.02/1 (10 items), then the ToUnicode maps rebuilt with pypdf. The "
        "plain table: the same 300 rows' six text cells in the same font, no header, no "
        "correction. The machine is shared by several sessions: absolute figures drift, ratios "
        "hold better. " + versions("weasyprint", "pypdf", "fonttools")
    )
    return latency_table("documents: the papers", rows, TARGET, notes)
