"""The plan in force of an organization and fiscal year (docs/domain.md "The plan in force"):
the annual plan's announced content with every announced supplementary and amendment applied
in announcement order.

`apply_plans` is pure: it takes the frozen contents in order and returns the content in force
with, for each project, the plan it comes from (and an amendment's reason). `read_in_force`
loads the announced plans and their frozen versions (`workflow.content.read_version`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, select

from models.enums import PlanKind, PlanState
from models.organization import Organization
from models.plan import Plan
from workflow.actors import Actor
from workflow.content_model import (
    EMPTY,
    ChangeKind,
    Content,
    Equipment,
    Project,
    Strategy,
    new_id,
)
from workflow.errors import NotFound, reason

IN_FORCE_STATES = (PlanState.ANNOUNCED, PlanState.POSTED, PlanState.POSTING_COMPLETE)


@dataclass(frozen=True)
class Source:
    """One announced plan that makes up the plan in force, and the frozen version used."""

    plan_id: int
    kind: PlanKind
    number: int  # ครั้งที่
    title: str
    announced_on: date | None
    version: int
    sha256: str


@dataclass(frozen=True)
class Origin:
    """Where a project of the plan in force comes from: the plan that added it or last
    changed it, and for an amendment's change its reason (เหตุผลความจำเป็น)."""

    source: Source
    reason: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An amendment's change that named a project not in force (nothing was applied)."""

    source: Source
    kind: ChangeKind
    project_id: str


@dataclass(frozen=True)
class InForce:
    content: Content
    origins: dict[str, Origin]  # project id -> its origin
    sources: tuple[Source, ...]
    skipped: tuple[Skipped, ...] = ()


class _Builder:
    """The content in force being assembled (a working copy, lists in printed order)."""

    def __init__(self, base: Content, source: Source) -> None:
        self.introduction = base.introduction
        self.strategies = list(base.strategies)
        self.projects = list(base.projects)
        self.equipment = list(base.equipment)
        self.origins = {p.id: Origin(source) for p in base.projects}
        self.skipped: list[Skipped] = []

    def strategy_for(self, layer: Content, strategy_id: str) -> str:
        """The id in force of the layer's strategy, matched by name; a new name is added."""
        theirs = layer.strategy(strategy_id)
        name = theirs.name if theirs else strategy_id
        for strategy in self.strategies:
            if strategy.name == name:
                return strategy.id
        number = max((s.number for s in self.strategies), default=0) + 1
        fresh_id = strategy_id if all(s.id != strategy_id for s in self.strategies) else new_id()
        self.strategies.append(Strategy(fresh_id, number, name))
        return fresh_id

    def _fit(self, layer: Content, project: Project, *, keep_number: bool) -> Project:
        strategy_id = self.strategy_for(layer, project.strategy_id)
        if keep_number:
            return replace(project, strategy_id=strategy_id)
        group = [
            p.number
            for p in self.projects
            if p.strategy_id == strategy_id and p.programme == project.programme
        ]
        return replace(project, strategy_id=strategy_id, number=max(group, default=0) + 1)

    def add(self, layer: Content, project: Project, origin: Origin) -> None:
        """Append (a project already in force by id is replaced where it stands)."""
        at = self._index(project.id)
        if at is not None:
            self.projects[at] = self._fit(layer, project, keep_number=True)
        else:
            self.projects.append(self._fit(layer, project, keep_number=False))
        self.origins[project.id] = origin

    def change(self, layer: Content, project: Project, origin: Origin) -> bool:
        at = self._index(project.id)
        if at is None:
            return False
        self.projects[at] = self._fit(layer, project, keep_number=True)
        self.origins[project.id] = origin
        return True

    def remove(self, project_id: str) -> bool:
        at = self._index(project_id)
        if at is None:
            return False
        del self.projects[at]
        del self.origins[project_id]
        return True

    def add_equipment(self, rows: Sequence[Equipment]) -> None:
        for row in rows:
            at = next((i for i, e in enumerate(self.equipment) if e.id == row.id), None)
            if at is None:
                self.equipment.append(row)
            else:
                self.equipment[at] = row

    def _index(self, project_id: str) -> int | None:
        return next((i for i, p in enumerate(self.projects) if p.id == project_id), None)

    def content(self) -> Content:
        return Content(
            introduction=self.introduction,
            strategies=tuple(self.strategies),
            projects=tuple(self.projects),
            equipment=tuple(self.equipment),
        )


def _apply_amendment(builder: _Builder, layer: Content, source: Source) -> None:
    for change in layer.changes:
        origin = Origin(source, change.reason)
        after = layer.project(change.project_id)
        if change.kind is ChangeKind.ADD and after is not None:
            builder.add(layer, after, origin)
            continue
        done = (
            builder.change(layer, after, origin)
            if change.kind is ChangeKind.CHANGE and after is not None
            else change.kind is ChangeKind.REMOVE and builder.remove(change.project_id)
        )
        if not done:
            builder.skipped.append(Skipped(source, change.kind, change.project_id))


def apply_plans(annual: tuple[Source, Content], later: Sequence[tuple[Source, Content]]) -> InForce:
    """The plan in force: the annual plan's content, then each later plan in the given
    (announcement) order. A supplementary adds its projects and equipment (strategies matched
    by name, numbers continuing their group); an amendment applies its `changes`: add, change
    (the project with that id replaced where it stands) or remove, each with its reason."""
    builder = _Builder(annual[1], annual[0])
    for source, layer in later:
        if source.kind is PlanKind.AMENDMENT:
            _apply_amendment(builder, layer, source)
        else:
            for project in layer.projects:
                builder.add(layer, project, Origin(source))
        builder.add_equipment(layer.equipment)
    return InForce(
        content=builder.content(),
        origins=builder.origins,
        sources=(annual[0], *(s for s, _ in later)),
        skipped=tuple(builder.skipped),
    )


# --- the read --------------------------------------------------------------------------


def _no_plan_in_force(code: str, year: int) -> NotFound:
    return NotFound(
        [
            reason(
                "no_plan_in_force",
                f"ไม่พบแผนการดำเนินงานที่ประกาศแล้วของหน่วยงาน {code} ปีงบประมาณ {year}",
                f"no announced annual plan of organization {code} for fiscal year {year}",
            )
        ]
    )


def announced_plans(session: Session, *, organization_id: int, fiscal_year_be: int) -> list[Plan]:
    """The organization's announced plans of the year, in announcement order (then by id)."""
    plans = session.exec(
        select(Plan).where(
            Plan.organization_id == organization_id,
            Plan.fiscal_year_be == fiscal_year_be,
            col(Plan.state).in_(IN_FORCE_STATES),
        )
    ).all()
    return sorted(plans, key=lambda p: (p.announced_on or date.max, p.id or 0))


def _source(plan: Plan, version: int, sha256: str) -> Source:
    assert plan.id is not None
    return Source(plan.id, plan.kind, plan.number, plan.title, plan.announced_on, version, sha256)


def read_in_force(
    session: Session, *, organization_code: str, fiscal_year_be: int, actor: Actor
) -> tuple[Organization, InForce]:
    """The plan in force read from the frozen versions (the latest of each announced plan,
    which is the one announced). 404 without an announced annual plan."""
    org = session.exec(select(Organization).where(Organization.code == organization_code)).first()
    if org is None or org.id is None:
        raise _no_plan_in_force(organization_code, fiscal_year_be)
    plans = announced_plans(session, organization_id=org.id, fiscal_year_be=fiscal_year_be)
    layers = _layers(session, plans, actor)
    annual = [layer for layer in layers if layer[0].kind is PlanKind.ANNUAL]
    if not annual:
        raise _no_plan_in_force(organization_code, fiscal_year_be)
    later = [layer for layer in layers if layer[0].kind is not PlanKind.ANNUAL]
    return org, apply_plans(annual[-1], later)


def _layers(session: Session, plans: Sequence[Plan], actor: Actor) -> list[tuple[Source, Content]]:
    from workflow.content import read_version  # the content store (helper `content`)

    layers: list[tuple[Source, Content]] = []
    for plan in plans:
        assert plan.id is not None
        try:
            frozen = read_version(session, plan_id=plan.id, actor=actor)
        except NotFound:  # announced before plans had content: it adds nothing
            layers.append((_source(plan, 0, ""), EMPTY))
            continue
        layers.append((_source(plan, frozen.number, frozen.sha256), frozen.content))
    return layers


def in_force_before(
    session: Session, *, plan_id: int, organization_id: int, fiscal_year_be: int, actor: Actor
) -> Content | None:
    """The content in force that amendment `plan_id` changes: the organization's plans of the
    year announced before it (all announced ones while it is not yet announced), applied as
    `apply_plans` does; None without an announced annual plan."""
    plans = announced_plans(session, organization_id=organization_id, fiscal_year_be=fiscal_year_be)
    ids = [p.id for p in plans]
    if plan_id in ids:  # announced: only what came before it in announcement order
        plans = plans[: ids.index(plan_id)]
    layers = _layers(session, plans, actor)
    annual = [layer for layer in layers if layer[0].kind is PlanKind.ANNUAL]
    if not annual:
        return None
    later = [layer for layer in layers if layer[0].kind is not PlanKind.ANNUAL]
    return apply_plans(annual[-1], later).content
