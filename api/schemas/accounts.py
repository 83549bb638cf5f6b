"""Login, the caller, users (admin) and in-app alerts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from api.auth import Principal
from api.schemas.plans import OrganizationRead
from api.schemas.rules import NewUsername, Province, Stated, text
from models.enums import Role
from models.membership import Membership
from models.organization import Organization, User
from workflow import input_rules as rules
from workflow.account_admin import IssuedToken


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # no control character (NUL cannot reach the database); a blank name is a failed login
    username: text("username", rules.USERNAME_MAX, required=False)  # type: ignore[valid-type]
    password: str = Field(min_length=1, max_length=1024)


LOGIN_EXAMPLE: dict[str, Any] = {"username": "laemrang.staff", "password": "demo-password-2562"}


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime

    @classmethod
    def of(cls, issued: IssuedToken) -> TokenRead:
        return cls(access_token=issued.token, expires_at=issued.expires_at)


class HeldRead(BaseModel):
    """One membership in force today (docs/domain.md "Memberships")."""

    role: Role
    organization_id: int | None
    organization_code: str | None
    organization_name: str | None
    starts_on: date
    ends_on: date | None  # the last day in force; None: open


class MeRead(BaseModel):
    username: str
    full_name: str
    role: Role  # the role resolved for this request (X-As-Role, the one held, or the primary)
    organization: OrganizationRead | None
    scope_province: str | None
    scope_organization_ids: list[int]
    language: str  # of the caller's alerts: th or en (PUT /api/v1/me/language)
    primary_role: Role  # the account's role
    # The role acting now: the one named (X-As-Role) or the only one held; None when several
    # are held and none was named (each action then takes the one its table row permits).
    acting_role: Role | None
    roles: list[Role]  # the roles held today
    memberships: list[HeldRead]  # the memberships in force today

    @classmethod
    def of(cls, who: Principal, org: Organization | None,
           held: list[tuple[Membership, Organization | None]]) -> MeRead:
        acting = who.actor.role if who.actor.chosen and who.actor.holds(who.actor.role) else None
        return cls(
            username=who.user.username,
            full_name=who.user.full_name,
            role=who.actor.role,
            organization=OrganizationRead.of(org) if org is not None else None,
            scope_province=who.actor.scope_province,
            scope_organization_ids=sorted(who.actor.scope_organization_ids),
            language=who.user.language,
            primary_role=Role(who.user.role),
            acting_role=acting,
            roles=sorted({Role(m.role) for m, _ in held}, key=lambda r: r.value),
            memberships=[
                HeldRead(role=Role(m.role), organization_id=m.organization_id,
                         organization_code=o.code if o else None,
                         organization_name=o.name if o else None,
                         starts_on=m.starts_on, ends_on=m.ends_on)
                for m, o in held
            ],
        )


class AlertRead(BaseModel):
    id: int
    kind: str
    plan_id: int | None
    created_at: datetime
    text_th: str
    text_en: str


def _assignable(role: Role) -> Role:
    """`system` is the scheduler's role, never a person's (workflow/accounts.add_user)."""
    if role is Role.SYSTEM:
        th, en = "บทบาท system สงวนไว้สำหรับระบบ", "the system role is reserved"
        raise PydanticCustomError("role_reserved", en, {"th": th})
    return role


AssignableRole = Annotated[
    Role,
    Stated({"type": "string", "enum": [r.value for r in Role if r is not Role.SYSTEM]}, True),
    AfterValidator(_assignable),
]
OrganizationCode = text("organization_code", rules.CODE_MAX)
ScopeCode = text("scope_organization_codes", rules.CODE_MAX)


class ScopeFields(BaseModel):
    """An auditor's scope as the input rules have it: a province of the 77, listed codes."""

    model_config = ConfigDict(extra="forbid")

    scope_province: Province | None = None
    scope_organization_codes: list[ScopeCode] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=200, description="repeats are folded"
    )


class UserCreate(ScopeFields):
    username: NewUsername
    role: AssignableRole
    full_name: text(  # type: ignore[valid-type]
        "full_name", rules.FULL_NAME_MAX, required=False
    ) = ""
    organization_code: OrganizationCode | None = None  # type: ignore[valid-type]
    password: str | None = Field(default=None, min_length=10, max_length=1024)


USER_CREATE_EXAMPLES: dict[str, Any] = {
    "staff": {
        "summary": "A staff member of one organization",
        "value": {
            "username": "laemrang.staff2",
            "role": "staff",
            "full_name": "นายสมชาย ขยันดี",
            "organization_code": "6660603",
            "password": "a-long-initial-password",
        },
    },
    "auditor": {
        "summary": "An auditor for a whole province",
        "value": {"username": "phichit.sao", "role": "auditor", "scope_province": "พิจิตร"},
    },
}


class PasswordBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=10, max_length=1024)


PASSWORD_EXAMPLE: dict[str, Any] = {"password": "a-new-long-password"}


class UserRead(BaseModel):
    id: int
    username: str
    full_name: str
    role: Role
    organization_id: int | None
    scope_province: str | None
    is_active: bool
    has_password: bool

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id or 0,
            username=user.username,
            full_name=user.full_name,
            role=Role(user.role),
            organization_id=user.organization_id,
            scope_province=user.scope_province,
            is_active=user.is_active,
            has_password=user.password_hash is not None,
        )


class RoleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: AssignableRole
    organization_code: OrganizationCode | None = None  # type: ignore[valid-type]


class ScopeBody(ScopeFields):
    """The scope alone (PUT …/scope)."""
