"""Compliance across fiscal years as CSV for an office or an auditor (docs/domain.md
"Compliance across years"): Thai headers with the code of each column, each coded value
beside its Thai label, plans named by title, dates in BE and ISO, and the moment the file
was made in Thai local time and ISO UTC. One file per plan and clock row; one summary file
of the per-year counts and the totals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from api.web import i18n
from models.enums import DeadlineKind
from models.thai_dates import format_thai_date, format_thai_instant
from workflow.compliance_years import STATUSES, ComplianceYears, YearCounts
from workflow.table import CLOCKS, STATE_LABELS

STAMP = ("จัดทำเมื่อ (เวลาประเทศไทย)", "จัดทำเมื่อ ISO UTC (generated_at)")
PLAN_COLUMNS = (
    "ปีงบประมาณ พ.ศ. (fiscal_year_be)",
    "รหัสหน่วยงาน (organization_code)",
    "หน่วยงาน (organization_name)",
    "จังหวัด (province)",
    "เลขที่แผน (plan_id)",
    "ชื่อแผน (plan_title)",
    "ประเภทแผน",
    "รหัสประเภทแผน (plan_kind)",
    "สถานะแผน",
    "รหัสสถานะแผน (state)",
    "การนับวันสุดท้าย (mode)",
    "กำหนดเวลา",
    "รหัสกำหนดเวลา (clock)",
    "วันเริ่มนับ",
    "วันเริ่มนับ ISO (start_on)",
    "ครบกำหนด",
    "ครบกำหนด ISO (due_on)",
    "ขยายเวลา (extended)",
    "วันที่ดำเนินการ",
    "วันที่ดำเนินการ ISO (done_on)",
    "ผล",
    "รหัสผล (status)",
    *STAMP,
)
_STATES = {k.value: v[0] for k, v in STATE_LABELS.items()}


def _stamp(now: datetime) -> list[str]:
    at = now if now.tzinfo else now.replace(tzinfo=UTC)
    return [format_thai_instant(at), at.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"]


def _day(day: date | None) -> list[str]:
    return [format_thai_date(day), day.isoformat()] if day else ["", ""]


def plan_rows(found: ComplianceYears, now: datetime) -> Iterator[list[str]]:
    """One row per clock of each plan, year by year."""
    stamp = _stamp(now)
    for p in found.plans:
        head = [
            str(p.fiscal_year_be), p.organization_code, p.organization_name, p.province,
            str(p.plan_id), found.titles.get(p.plan_id, ""),
            i18n.KIND_LABELS[p.kind.value][0], p.kind.value,
            _STATES.get(p.state.value, p.state.value), p.state.value, p.mode,
        ]
        for c in p.clocks:
            yield [
                *head, CLOCKS[c.kind].label_th, c.kind.value, *_day(c.start_on),
                *_day(c.due_on), "ใช่ (yes)" if c.extended else "", *_day(c.done_on),
                i18n.LABELS[c.status][0] if c.status in i18n.LABELS else c.status, c.status,
                *stamp,
            ]


def summary_columns() -> tuple[str, ...]:
    """The year, the plans, then one column per clock kind and status."""
    counted = tuple(
        f"{CLOCKS[kind].label_th}: {i18n.LABELS[status][0]} ({kind.value}.{status})"
        for kind in DeadlineKind
        for status in STATUSES
    )
    return ("ปีงบประมาณ พ.ศ. (fiscal_year_be)", "จำนวนแผน (plans)", *counted, *STAMP)


def summary_rows(found: ComplianceYears, now: datetime) -> Iterator[list[str]]:
    """One row per fiscal year, then the totals ("รวม (total)")."""
    stamp = _stamp(now)

    def row(counts: YearCounts) -> list[str]:
        year = str(counts.fiscal_year_be) if counts.fiscal_year_be else "รวม (total)"
        cells = [str(counts.count(k, s)) for k in DeadlineKind for s in STATUSES]
        return [year, str(counts.plans), *cells, *stamp]

    for counts in found.years:
        yield row(counts)
    yield row(found.totals)
