"""Server-rendered Thai web pages, calling the same workflow functions as the API."""

from __future__ import annotations

from pathlib import Path

from fastapi.staticfiles import StaticFiles

from api.routing import Routes
from api.web import (
    pages_admin,
    pages_admin_contacts,
    pages_admin_holidays,
    pages_admin_members,
    pages_admin_orgs,
    pages_admin_outbox,
    pages_admin_user,
    pages_alerts,
    pages_audit,
    pages_audit_years,
    pages_board_progress,
    pages_board_reports,
    pages_content,
    pages_content_files,
    pages_corrections,
    pages_documents,
    pages_equipment,
    pages_evidence,
    pages_in_force,
    pages_ita,
    pages_plans,
    pages_progress,
    pages_public,
    pages_report,
    pages_report_figures,
    pages_reports,
)

STATIC_DIR = Path(__file__).parent / "static"

# In this order: the first route whose path matches answers.
PAGES: tuple[Routes, ...] = (
    pages_public.router,
    pages_alerts.router,
    pages_evidence.router,
    pages_plans.router,
    pages_corrections.router,
    pages_content_files.router,  # before pages_content: its paths are more specific
    pages_content.router,
    pages_equipment.router,
    pages_in_force.router,
    pages_progress.router,
    pages_ita.router,
    pages_report_figures.router,
    pages_reports.router,
    pages_report.router,
    pages_board_progress.router,
    pages_board_reports.router,
    pages_audit_years.router,
    pages_audit.router,
    pages_admin.router,
    pages_admin_user.router,
    pages_admin_members.router,
    pages_admin_holidays.router,
    pages_admin_outbox.router,
    pages_admin_orgs.router,
    pages_admin_contacts.router,
    pages_documents.router,
)


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
