"""The plan's content over HTTP: what an edit sends (each field by the core's rule, stated
in the OpenAPI document) and what the reads return (workflow.content_model.to_data)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from api.schemas.content_fields import Detail, Group, Intro, Name, Place, Ref, Unit
from api.schemas.rules import Money, Stated, ruled
from workflow import content_model as cm
from workflow.content_core import Draft, Frozen


def _whole(value: Any) -> Any:
    """A JSON integer (JSON Schema counts 3.0 as one), never true/false or text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "a whole number is required")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Revision = Annotated[
    int,
    Field(ge=0, le=2**31 - 1, description="the content revision you saw"),
    BeforeValidator(_whole),
]
RowNumber = Annotated[
    int, Field(ge=1, le=9999, description="ที่: within its group"), BeforeValidator(_whole)
]
Village = Annotated[int, Field(ge=1, le=cm.VILLAGE_MAX, description="หมู่ที่"), BeforeValidator(_whole)]
Month = Annotated[int, Field(ge=1, le=12), BeforeValidator(_whole)]
ITEM_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
ItemId = Annotated[str, Field(pattern=ITEM_ID_PATTERN, description="a stable id")]
Months = Annotated[
    list[Month],
    Field(min_length=1, max_length=12, description="calendar months 1–12 (Oct–Sep)"),
    Stated({"uniqueItems": True}),
    AfterValidator(ruled(lambda v: list(cm.months(v)))),
]


class DevPlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edition: Ref
    page: Ref | None = None
    row: Ref | None = None


class ProjectFields(BaseModel):
    """A project's fields (ผด.02), every one optional: a change names only what it changes."""

    model_config = ConfigDict(extra="forbid")

    strategy_id: ItemId | None = None
    programme: Group | None = None
    number: RowNumber | None = None
    name: Name | None = None
    activity: Detail | None = None
    budget_baht: Money | None = None
    location: Place | None = None
    unit: Unit | None = None
    months: Months | None = None
    funding: cm.FundingSource | None = Field(
        default=None, description="default: ordinance for own projects, else outside_agency"
    )
    ownership: cm.Ownership | None = Field(default=None, description="default: own")
    tactic: Group | None = None
    village: Village | None = None
    funding_note: Ref | None = None
    dev_plan: DevPlanIn | None = None


class ProjectCreate(ProjectFields):
    expected_revision: Revision
    strategy_id: ItemId
    programme: Group
    number: RowNumber
    name: Name
    activity: Detail
    budget_baht: Money
    location: Place
    unit: Unit
    months: Months


class ProjectChange(ProjectFields):
    expected_revision: Revision


class EquipmentFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Group | None = None
    number: RowNumber | None = None
    category: Group | None = Field(default=None, description="หมวด; default ค่าครุภัณฑ์")
    type: Group | None = None
    target: Detail | None = None
    budget_baht: Money | None = None
    location: Place | None = None
    unit: Unit | None = None
    months: Months | None = None


class EquipmentCreate(EquipmentFields):
    expected_revision: Revision
    programme: Group
    number: RowNumber
    type: Group
    target: Detail
    budget_baht: Money
    location: Place
    unit: Unit
    months: Months


class EquipmentChange(EquipmentFields):
    expected_revision: Revision


class StrategyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_revision: Revision
    number: RowNumber
    name: Group


class StrategyChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_revision: Revision
    number: RowNumber | None = None
    name: Group | None = None


class IntroductionPut(BaseModel):
    """ส่วนที่ 1 บทนำ, replaced whole."""

    model_config = ConfigDict(extra="forbid")

    expected_revision: Revision
    background: Intro
    objectives: Intro
    steps: Intro
    benefits: Intro
    foreword: Intro | None = None


def fields_of(body: BaseModel, *, partial: bool) -> dict[str, Any]:
    """What the core's input rules read: the fields given (a change) or set (a creation)."""
    data = body.model_dump(mode="json", exclude={"expected_revision"}, exclude_unset=partial)
    return data if partial else {k: v for k, v in data.items() if v is not None}


# --- reads -------------------------------------------------------------------------------


class ContentRead(BaseModel):
    """A plan's content: the draft (`revision`) or frozen version `version`."""

    plan_id: int
    revision: int | None = Field(description="the draft's revision (null for a frozen version)")
    version: int | None = Field(description="the frozen version's number (null for the draft)")
    sha256: str
    frozen_at: str | None = None
    content: dict[str, Any] = Field(description="the content as content_model.to_data writes it")

    @classmethod
    def of_draft(cls, draft: Draft) -> ContentRead:
        return cls(
            plan_id=draft.plan_id, revision=draft.revision, version=None, sha256=draft.sha256,
            content=cm.to_data(draft.content),
        )  # fmt: skip

    @classmethod
    def of_frozen(cls, frozen: Frozen) -> ContentRead:
        return cls(
            plan_id=frozen.plan_id, revision=None, version=frozen.number, sha256=frozen.sha256,
            frozen_at=frozen.frozen_at.isoformat(), content=cm.to_data(frozen.content),
        )  # fmt: skip


class EditRead(BaseModel):
    """The draft after an edit: its new revision and hash, and the item the edit concerned."""

    plan_id: int
    revision: int
    sha256: str
    item_id: str | None
    item: dict[str, Any] | None = None

    @classmethod
    def of(cls, draft: Draft, kind: str | None, item_id: str | None) -> EditRead:
        item = None
        if kind is not None and draft.item is not None and draft.item.id == item_id:
            item = _item_data(kind, draft.item)  # an item edit: the content is not read
        elif kind is not None and item_id is not None:
            items = {
                "projects": [cm.project_data(p) for p in draft.content.projects],
                "equipment": [cm.equipment_data(e) for e in draft.content.equipment],
                "strategies": [
                    {"id": s.id, "number": s.number, "name": s.name}
                    for s in draft.content.strategies
                ],
            }[kind]
            item = next((i for i in items if i["id"] == item_id), None)
        return cls(
            plan_id=draft.plan_id, revision=draft.revision, sha256=draft.sha256,
            item_id=item_id, item=item,
        )  # fmt: skip


class ItemsRead(BaseModel):
    plan_id: int
    revision: int
    items: list[dict[str, Any]]


class SummaryRead(BaseModel):
    """ผด.01 (workflow.summary.summary_data) beside the plan's own `budget_baht`."""

    model_config = ConfigDict(extra="allow")

    total_projects: int
    total_budget_baht: str
    own_budget_baht: str
    by_strategy: list[dict[str, Any]]
    plan_budget_baht: str | None = Field(description="the plan's budget_baht (the trigger's)")
    budget_difference_baht: str | None = Field(
        description="the content's own budget minus the plan's budget_baht (null: none given)"
    )


def _example(summary: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"example": {"summary": summary, "value": value}}


PROJECT = {
    "strategy_id": "5f0c8a3e9b1d4c2a8e7f6d5c4b3a2910",
    "programme": "แผนงานอุตสาหกรรมและการโยธา",
    "number": 1,
    "name": "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3",
    "activity": "ก่อสร้างถนน คสล. กว้าง 4 เมตร ยาว 200 เมตร หนา 0.15 เมตร",
    "budget_baht": "250000.00",
    "location": "หมู่ที่ 3 บ้านแหลมรัง",
    "village": 3,
    "unit": "กองช่าง",
    "months": [1, 2, 3],
}
EQUIPMENT = {
    "programme": "แผนงานบริหารงานทั่วไป",
    "number": 1,
    "type": "ครุภัณฑ์คอมพิวเตอร์",
    "target": "จัดซื้อเครื่องคอมพิวเตอร์โน้ตบุ๊ก จำนวน 2 เครื่อง",
    "budget_baht": "44000.00",
    "location": "ที่ทำการ อบต.",
    "unit": "สำนักปลัด",
    "months": [11],
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "project_create": _example("A road", {"expected_revision": 1, **PROJECT}),
    "project_change": _example(
        "A new budget", {"expected_revision": 2, "budget_baht": "240000.00"}
    ),
    "equipment_create": _example("Two laptops", {"expected_revision": 1, **EQUIPMENT}),
    "equipment_change": _example("Another month", {"expected_revision": 2, "months": [12]}),
    "strategy_create": _example(
        "A strategy", {"expected_revision": 0, "number": 1, "name": "การพัฒนาด้านโครงสร้างพื้นฐาน"}
    ),
    "strategy_change": _example("Renumbered", {"expected_revision": 3, "number": 2}),
    "introduction": _example(
        "The introduction",
        {
            "expected_revision": 4,
            "background": "บทนำ",
            "objectives": "วัตถุประสงค์",
            "steps": "ขั้นตอนการจัดทำ",
            "benefits": "ประโยชน์",
        },
    ),
}


def _item_data(kind: str, item: Any) -> dict[str, Any]:
    if kind == "projects":
        return cm.project_data(item)
    if kind == "equipment":
        return cm.equipment_data(item)
    return {"id": item.id, "number": item.number, "name": item.name}
