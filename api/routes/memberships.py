"""Admin: the roles a person holds (memberships), granted and ended as account events
(docs/domain.md "Memberships")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, Path

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.memberships import (
    MEMBERSHIP_EXAMPLES,
    MembershipCreate,
    MembershipEnd,
    MembershipList,
    MembershipRead,
)
from api.schemas.rules import text
from models.clock import today_bangkok
from models.db import read_session
from workflow import memberships
from workflow.account_admin import require_admin
from workflow.input_rules import USERNAME_MAX

router = Routes(prefix="/users", tags=["admin"], responses=problems(401, 403, 404, 422))
if TYPE_CHECKING:  # the rule builds its type at run time; to mypy it is a str
    Username = str
else:
    Username = Annotated[text("username", USERNAME_MAX), Path()]
MAX_ID = 2**63 - 1


@router.get("/{username}/memberships", response_model=MembershipList)
def list_memberships(
    username: Username, who: CurrentPrincipal, services: ServicesDep
) -> MembershipList:
    """Every membership of a user, current and past, oldest first. Admins only."""
    require_admin(who.actor)
    today = today_bangkok(services.clock)
    with read_session(services.engine) as session:
        rows = memberships.memberships_of(session, username)
        return MembershipList(username=username, items=[MembershipRead.of(m, today) for m in rows])


@router.post(
    "/{username}/memberships",
    status_code=201,
    response_model=MembershipRead,
    responses=problems(409),
)
async def grant(
    username: Username,
    body: Annotated[MembershipCreate, Body(openapi_examples=MEMBERSHIP_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> MembershipRead:
    """Grant a user a role (for an organization: staff, committee, executive) from
    `starts_on` (today) to `ends_on` (open): a `membership_granted` account event."""
    row = await services.run(
        lambda s: memberships.grant_membership(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            role=body.role,
            organization_code=body.organization_code,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
        )
    )
    return MembershipRead.of(row, today_bangkok(services.clock))


END_EXAMPLES: dict[str, Any] = {
    "yesterday": {"summary": "From now on (the last day in force was yesterday)", "value": {}},
    "on_a_day": {"summary": "The last day in force", "value": {"ends_on": "2019-09-30"}},
}


@router.post(
    "/{username}/memberships/{membership_id}/end",
    response_model=MembershipRead,
    responses=problems(409),
)
async def end(
    username: Username,
    membership_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    who: CurrentPrincipal,
    services: ServicesDep,
    body: Annotated[MembershipEnd | None, Body(openapi_examples=END_EXAMPLES)] = None,
) -> MembershipRead:
    """End a membership: `ends_on` is its last day in force (yesterday when left out, so it
    authorizes nothing from now on): a `membership_ended` account event."""
    ends_on = body.ends_on if body is not None else None
    row = await services.run(
        lambda s: memberships.end_membership(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            membership_id=membership_id,
            ends_on=ends_on,
        )
    )
    return MembershipRead.of(row, today_bangkok(services.clock))
