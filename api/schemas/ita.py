"""The transparency checklist over HTTP (docs/api.md "Transparency checklist")."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from workflow import ita
from workflow.ita_data import ItaYear

Status = Literal["ok", "missing", "not_yet", "unknown"]


class ItaLineRead(BaseModel):
    code: str
    title: str
    title_en: str
    fiscal_year: int
    satisfied_with: str
    satisfied_with_th: str
    status: Status
    links: list[str]  # paths of the public pages or documents that satisfy it
    note_th: str
    note_en: str


class ItaRowRead(BaseModel):
    organization_id: int
    organization_code: str
    organization_name: str
    province: str
    missing: list[str]  # the codes of the items with status missing
    items: list[ItaLineRead]

    @classmethod
    def of(cls, row: ita.Row) -> ItaRowRead:
        return cls(
            organization_id=row.organization_id,
            organization_code=row.code,
            organization_name=row.name,
            province=row.province,
            missing=row.missing,
            items=[
                ItaLineRead(
                    code=line.code,
                    title=line.title,
                    title_en=line.title_en,
                    fiscal_year=line.fiscal_year,
                    satisfied_with=line.satisfied_with,
                    satisfied_with_th=line.satisfied_with_th,
                    status=line.status,
                    links=list(line.links),
                    note_th=line.note_th,
                    note_en=line.note_en,
                )
                for line in row.items
            ],
        )


class ItaYearRead(BaseModel):
    year: int
    basis: Literal["official", "assumption"]
    basis_note: str
    window_start: date
    window_end: date

    @classmethod
    def of(cls, found: ItaYear) -> ItaYearRead:
        return cls(
            year=found.year,
            basis=found.basis,
            basis_note=found.basis_note,
            window_start=found.window.start,
            window_end=found.window.end,
        )


class ItaRead(BaseModel):
    assessment: ItaYearRead
    organization: ItaRowRead


class ItaScopeRead(BaseModel):
    assessment: ItaYearRead
    organizations: list[ItaRowRead]
