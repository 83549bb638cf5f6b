"""Admin: user accounts and passwords."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import problems
from api.schemas.accounts import (
    PASSWORD_EXAMPLE,
    USER_CREATE_EXAMPLES,
    PasswordBody,
    UserCreate,
    UserRead,
)
from api.schemas.rules import text
from workflow import account_admin
from workflow.input_rules import USERNAME_MAX

router = APIRouter(prefix="/admin/users", tags=["admin"], responses=problems(401, 403, 404, 422))
Username = Annotated[text("username", USERNAME_MAX), Path()]  # type: ignore[valid-type]


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
    username: Username,  # type: ignore[valid-type]
    body: Annotated[PasswordBody, Body(openapi_examples={"set": {"value": PASSWORD_EXAMPLE}})],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> UserRead:
    """Set a user's password (Argon2); their tokens stay valid until revoked."""
    user = await services.run(
        lambda s: account_admin.admin_set_password(
            s, actor=who.actor, username=username, password=body.password
        )
    )
    return UserRead.of(user)
