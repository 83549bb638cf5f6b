"""The language of one's alerts (`/me/language`, and admins for anyone), and the LINE contacts
the webhook captured, for admins to link to people and offices (docs/operations.md "LINE")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

from fastapi import Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.rules import text
from models.alert import LineContact
from models.db import read_session
from models.enums import Language
from notifications import line_contacts
from notifications.contacts import ContactError, set_language
from workflow.account_admin import require_admin
from workflow.errors import DomainError, NotFound, ValidationFailed, reason
from workflow.input_rules import USERNAME_MAX

T = TypeVar("T")
me = Routes(prefix="/me", tags=["me"], responses=problems(401, 422))
admin = Routes(prefix="/admin", tags=["admin"], responses=problems(401, 403, 404, 422))
if TYPE_CHECKING:  # the rule builds its type at run time; to mypy it is a str
    Username = str
else:
    Username = Annotated[text("username", USERNAME_MAX), Path()]
LineId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9]+$")]


class LanguageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language = Field(description="th (Thai, the default) or en (English)")


class LanguageRead(BaseModel):
    username: str
    language: Language


class LinkBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str | None = Field(
        default=None, max_length=USERNAME_MAX, description="the person a LINE user id is"
    )
    organization_code: str | None = Field(
        default=None, max_length=32, description="the office a LINE group id belongs to"
    )


class LineContactRead(BaseModel):
    line_id: str
    kind: str
    channel: str
    last_event: str
    active: bool
    first_seen_at: datetime
    last_seen_at: datetime
    user_id: int | None
    organization_id: int | None
    linked_at: datetime | None

    @classmethod
    def of(cls, row: LineContact) -> LineContactRead:
        return cls(**row.model_dump(exclude={"id"}))


class LineContactList(BaseModel):
    items: list[LineContactRead]


def domain(work: Callable[[Session], T]) -> Callable[[Session], T]:
    """A contact command whose bad input answers as the other commands' (404 / 422)."""

    def run(session: Session) -> T:
        try:
            return work(session)
        except ContactError as err:
            cls: type[DomainError] = NotFound if err.missing else ValidationFailed
            raise cls([reason("contact", err.th, str(err))]) from err

    return run


LANGUAGE_EXAMPLES = {
    "thai": {"summary": "Thai (the default)", "value": {"language": "th"}},
    "english": {"summary": "English", "value": {"language": "en"}},
}


@me.put("/language", response_model=LanguageRead)
async def my_language(
    body: Annotated[LanguageBody, Body(openapi_examples=LANGUAGE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> LanguageRead:
    """The language of the caller's alerts: subjects and titles in it, bodies in it first."""
    user = await services.run(
        domain(lambda s: set_language(s, username=who.user.username, language=body.language))
    )
    return LanguageRead(username=user.username, language=Language(user.language))


@admin.put("/users/{username}/language", response_model=LanguageRead)
async def user_language(
    username: Username,
    body: Annotated[LanguageBody, Body(openapi_examples=LANGUAGE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> LanguageRead:
    """Set the language of a person's alerts. Admins only."""
    require_admin(who.actor)
    user = await services.run(
        domain(lambda s: set_language(s, username=username, language=body.language))
    )
    return LanguageRead(username=user.username, language=Language(user.language))


@admin.get("/line/contacts", response_model=LineContactList)
def list_line_contacts(
    who: CurrentPrincipal,
    services: ServicesDep,
    unlinked: Annotated[bool, Query(description="only those not linked yet")] = False,
) -> LineContactList:
    """The LINE users and groups the webhook saw, newest first. Admins only."""
    require_admin(who.actor)
    with read_session(services.engine) as session:
        rows = line_contacts.list_contacts(session, unlinked=unlinked)
        return LineContactList(items=[LineContactRead.of(r) for r in rows])


@admin.put("/line/contacts/{line_id}", response_model=LineContactRead)
async def link_line_contact(
    line_id: LineId,
    body: Annotated[
        LinkBody,
        Body(openapi_examples={"person": {"value": {"username": "staff-6660603"}}}),
    ],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> LineContactRead:
    """Link a LINE user id to a person or a group id to an office (neither: unlink)."""
    require_admin(who.actor)

    def work(session: Session) -> LineContactRead:
        row = line_contacts.link(
            session,
            line_id=line_id,
            username=body.username,
            org_code=body.organization_code,
            clock=services.clock,
        )
        return LineContactRead.of(row)

    return await services.run(domain(work))
