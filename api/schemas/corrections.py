"""Corrections (docs/domain.md "Corrections"): the request, one shape per kind of field, and
a correction as the plan's history shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.schemas.common import LegalDate
from api.schemas.rules import Stated, Version, ruled, text
from models.audit import TransitionRecord
from workflow import input_rules as rules


class _Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: Version = Field(
        ge=0, le=2**31 - 1, description="the plan's `version` you saw"
    )
    record_seq: int = Field(
        ge=1, le=2**31 - 1, description="the number (`seq`) of the record corrected"
    )
    reason: text("reason", rules.COMMENT_MAX, multiline=True)  # type: ignore[valid-type]


class DateCorrection(_Correction):
    field: Literal["effective_on", "trigger_on"]
    value: LegalDate


class PlacesCorrection(_Correction):
    field: Literal["places"]
    value: Annotated[
        list[text("places", rules.PLACE_MAX, required=False)],  # type: ignore[valid-type]
        Stated({"maxItems": rules.PLACES_MAX}),
        AfterValidator(ruled(lambda v: list(rules.places(v)))),
    ]


class CommentCorrection(_Correction):
    field: Literal["comment"]
    value: text("value", rules.COMMENT_MAX, multiline=True, required=False) | None = None  # type: ignore[valid-type]


CorrectionRequest = Annotated[
    DateCorrection | PlacesCorrection | CommentCorrection, Field(discriminator="field")
]

CORRECTION_EXAMPLES: dict[str, Any] = {
    "posting_date": {
        "summary": "Correct a wrong posting date (record 5 is the posting)",
        "value": {
            "expected_version": 5,
            "record_seq": 5,
            "field": "effective_on",
            "value": "2018-10-26",
            "reason": "บันทึกวันที่ผิด ตามภาพถ่ายการปิดประกาศวันที่ 26 ต.ค. 2561",
        },
    },
    "places": {
        "summary": "Correct the posting places",
        "value": {
            "expected_version": 6,
            "record_seq": 5,
            "field": "places",
            "value": ["บอร์ดประชาสัมพันธ์หน้าที่ทำการ อบต."],
            "reason": "สถานที่บันทึกไม่ครบ",
        },
    },
}


class CorrectionRead(BaseModel):
    """A correction as the plan's chain records it."""

    seq: int
    corrects_seq: int
    corrects_action: str
    field: str
    before: Any
    after: Any
    reason: str | None
    actor_username: str
    actor_role: str
    recorded_at: datetime

    @classmethod
    def of(cls, r: TransitionRecord) -> CorrectionRead:
        corrects = r.details.get("corrects") or {}
        return cls(
            seq=r.seq,
            corrects_seq=int(corrects.get("seq") or 0),
            corrects_action=str(corrects.get("action")),
            field=str(r.details.get("field")),
            before=r.details.get("before"),
            after=r.details.get("after"),
            reason=r.comment,
            actor_username=r.actor_username,
            actor_role=str(r.actor_role),
            recorded_at=r.recorded_at,
        )
