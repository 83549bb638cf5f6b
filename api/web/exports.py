"""The auditor's history as a CSV an office reads (docs/domain.md, "What auditors need"):
Thai headers, each coded value beside its Thai label, the plan's title, and every recorded
instant both as ISO UTC and in Thai local time ("1 ธ.ค. 2569 เวลา 14:06 น."). The JSON API's
CSV keeps its English column names (api/schemas/audit.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC

from api.web import i18n
from models.thai_dates import format_thai_date, format_thai_instant, thai_local_iso
from workflow.scoped_reads import TransitionRow
from workflow.table import STATE_LABELS

HISTORY_COLUMNS = (
    "เลขที่บันทึก (id)",
    "เลขที่แผน (plan_id)",
    "ชื่อแผน (plan_title)",
    "รหัสหน่วยงาน (organization_code)",
    "หน่วยงาน (organization_name)",
    "จังหวัด (province)",
    "ปีงบประมาณ พ.ศ. (fiscal_year_be)",
    "ประเภทแผน",
    "รหัสประเภทแผน (plan_kind)",
    "ลำดับในแผน (seq)",
    "การดำเนินการ",
    "รหัสการดำเนินการ (action)",
    "จากสถานะ",
    "เป็นสถานะ",
    "รหัสสถานะใหม่ (to_state)",
    "ผู้ดำเนินการ (actor_username)",
    "บทบาท",
    "รหัสบทบาท (actor_role)",
    "วันที่มีผลตามกฎหมาย",
    "วันที่มีผล ISO (effective_on)",
    "เวลาที่บันทึก (เวลาประเทศไทย)",
    "เวลาที่บันทึก ISO UTC (recorded_at)",
    "เวลาที่บันทึก ISO เวลาไทย",
    "หมายเหตุ (comment)",
    "request_id",
    "hash",
)
_STATES = {k.value: v[0] for k, v in STATE_LABELS.items()}


def _th(table: dict[str, tuple[str, str]], key: str | None) -> str:
    return table[key][0] if key in table else (key or "")


def history_rows(rows: Iterable[TransitionRow]) -> Iterator[list[str]]:
    """One CSV row per history record, in HISTORY_COLUMNS' order."""
    for row in rows:
        r, org = row.record, row.organization
        at = r.recorded_at if r.recorded_at.tzinfo else r.recorded_at.replace(tzinfo=UTC)
        yield [
            str(r.id),
            str(r.plan_id),
            row.plan_title,
            org.code,
            org.name,
            org.province,
            str(row.fiscal_year_be),
            _th(i18n.KIND_LABELS, row.plan_kind.value),
            row.plan_kind.value,
            str(r.seq),
            _th(i18n.ACTION_LABELS, str(r.action)),
            str(r.action),
            _STATES.get(str(r.from_state), "") if r.from_state else "",
            _STATES.get(str(r.to_state), str(r.to_state)),
            str(r.to_state),
            r.actor_username,
            _th(i18n.ROLE_LABELS, str(r.actor_role)),
            str(r.actor_role),
            format_thai_date(r.effective_on),
            r.effective_on.isoformat(),
            format_thai_instant(at),
            at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            thai_local_iso(at),
            r.comment or "",
            r.request_id or "",
            r.hash,
        ]
