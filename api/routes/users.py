"""Admin: user accounts, passwords, roles, scopes, deactivation (each an account event)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, Path

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.schemas.accounts import (
    PASSWORD_EXAMPLE,
    USER_CREATE_EXAMPLES,
    PasswordBody,
    RoleBody,
    ScopeBody,
    UserCreate,
    UserRead,
)
from api.schemas.rules import text
from workflow import account_admin, account_status
from workflow.input_rules import USERNAME_MAX

router = Routes(prefix="/admin/users", tags=["admin"], responses=problems(401, 403, 404, 422))
if TYPE_CHECKING:  # the rule builds its type at run time; to mypy it is a str
    Username = str
else:
    Username = Annotated[text("username", USERNAME_MAX), Path()]


@router.post("", status_code=201, response_model=UserRead)
async def create_user(
    body: Annotated[UserCreate, Body(openapi_examples=USER_CREATE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> UserRead:
    """Add a user: staff, committee and executive belong to an organization; auditors have
    a province or a list of organizations."""
    new = account_admin.NewUser(
        username=body.username,
        role=body.role,
        full_name=body.full_name,
        organization_code=body.organization_code,
        scope_province=body.scope_province,
        scope_organization_codes=tuple(body.scope_organization_codes),
        password=body.password,
    )
    user = await services.run(
        lambda s: account_admin.create_user(s, actor=who.actor, clock=services.clock, new=new)
    )
    return UserRead.of(user)


@router.put("/{username}/password", response_model=UserRead)
async def set_password(
    username: Username,
    body: Annotated[PasswordBody, Body(openapi_examples={"set": {"value": PASSWORD_EXAMPLE}})],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> UserRead:
    """Reset a user's password (Argon2): every session and token of theirs ends."""
    user = await services.run(
        lambda s: account_admin.admin_set_password(
            s, actor=who.actor, clock=services.clock, username=username, password=body.password
        )
    )
    return UserRead.of(user)


@router.post("/{username}/deactivate", response_model=UserRead)
async def deactivate(username: Username, who: CurrentPrincipal, services: ServicesDep) -> UserRead:
    """Deactivate a user: their sessions and tokens end, they can no longer sign in; their
    history stays. Never the caller themself, nor the last active admin (403)."""
    user = await services.run(
        lambda s: account_status.deactivate_user(
            s, actor=who.actor, clock=services.clock, username=username
        )
    )
    return UserRead.of(user)


@router.post("/{username}/reactivate", response_model=UserRead)
async def reactivate(username: Username, who: CurrentPrincipal, services: ServicesDep) -> UserRead:
    """Let a deactivated user sign in again (their old tokens stay revoked)."""
    user = await services.run(
        lambda s: account_status.reactivate_user(
            s, actor=who.actor, clock=services.clock, username=username
        )
    )
    return UserRead.of(user)


ROLE_EXAMPLES: dict[str, Any] = {
    "committee": {"value": {"role": "committee", "organization_code": "6660603"}},
    "admin": {"value": {"role": "admin"}},
}
SCOPE_EXAMPLES: dict[str, Any] = {
    "province": {"value": {"scope_province": "พิจิตร"}},
    "listed": {"value": {"scope_organization_codes": ["6660603", "6660604"]}},
}


@router.put("/{username}/role", response_model=UserRead)
async def change_role(
    username: Username,
    body: Annotated[RoleBody, Body(openapi_examples=ROLE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> UserRead:
    """Give a user another role (and organization for staff, committee and executive)."""
    user = await services.run(
        lambda s: account_status.change_role(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            role=body.role,
            organization_code=body.organization_code,
        )
    )
    return UserRead.of(user)


@router.put("/{username}/scope", response_model=UserRead)
async def change_scope(
    username: Username,
    body: Annotated[ScopeBody, Body(openapi_examples=SCOPE_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> UserRead:
    """Set an auditor's scope: a province, organizations, or both."""
    user = await services.run(
        lambda s: account_status.change_scope(
            s,
            actor=who.actor,
            clock=services.clock,
            username=username,
            province=body.scope_province,
            organization_codes=tuple(body.scope_organization_codes),
        )
    )
    return UserRead.of(user)
