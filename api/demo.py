"""`localplan demo`: อบต.แหลมรัง, อ.บึงนาราง, จ.พิจิตร with a user per role, an FY 2562
annual plan with its content (66 projects, eight equipment rows: workflow/content_seed.py)
walked through to `posting_complete` with every clock met (its history is there to read and
nothing of it is overdue), its progress in two rounds and its 6-month monitoring report
posted and taken down (api/demo_report.py), and a supplementary plan whose dates follow
today, in committee review with its deadline this week, so a newcomer's first screen shows
what is due now.
Every demo user gets the demo password (unless they already have one) and a fresh API token
on every run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.demo_progress import seed_progress
from api.demo_report import seed_report
from models.clock import Clock, today_bangkok
from models.enums import Action, OrgType, PlanKind, Role, TriggerKind
from models.organization import Organization, User
from models.plan import Plan
from notifications.contacts import list_emails, set_email
from workflow import uow
from workflow.account_admin import issue_token, set_password
from workflow.accounts import actor_for, add_organization, add_user
from workflow.actors import SYSTEM
from workflow.calendar import fiscal_year_be
from workflow.commands import Context, NewPlan, create_plan, perform
from workflow.content import replace_content
from workflow.content_seed import demo_content
from workflow.memberships import add_membership

ORG_CODE = "6660603"
DEMO_PASSWORD = "demo-password-2562"  # for trying the service locally, never in production
TOKEN_LIFETIME = timedelta(days=30)
EMAIL_DOMAIN = "laemrang.example"  # reserved for examples (RFC 2606): never a real inbox
CURRENT_TRIGGER_DAYS_AGO = 25  # the second demo plan's trigger: its deadline in 5 days
USERS = (
    ("laemrang.staff", Role.STAFF, "นางสาวสมใจ ใจดี (ฝ่ายเลขานุการ)"),
    ("laemrang.committee", Role.COMMITTEE, "นายประสิทธิ์ มั่นคง (คณะกรรมการพัฒนาท้องถิ่น)"),
    ("laemrang.executive", Role.EXECUTIVE, "นายก อบต.แหลมรัง"),
    (
        "laemrang.monitoring",
        Role.MONITORING_COMMITTEE,
        "นางวันดี ติดตามผล (คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น)",
    ),
    ("phichit.auditor", Role.AUDITOR, "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดพิจิตร"),
    ("admin", Role.ADMIN, "ผู้ดูแลระบบ"),
    # a clerk who also sits on the development committee (docs/domain.md "Memberships")
    ("laemrang.clerk", Role.STAFF, "นายสมศักดิ์ รักงาน (เจ้าหน้าที่ และกรรมการพัฒนาท้องถิ่น)"),
)
SECOND_ROLES = (("laemrang.clerk", Role.COMMITTEE),)
# Budget ordinance announced Thu 20 Sep 2018 (preparation due Sat 20 Oct); the plan announced
# Thu 18 Oct 2018 (posting due Fri 2 Nov), posted Fri 26 Oct (the 30 days end Sun 25 Nov) and
# taken down Mon 26 Nov 2018, its earliest removal date: every clock met, none left open.
STEPS = (
    (Action.SUBMIT, "laemrang.staff", date(2018, 10, 1)),
    (Action.APPROVE, "laemrang.committee", date(2018, 10, 16)),
    (Action.ANNOUNCE, "laemrang.executive", date(2018, 10, 18)),
    (Action.POST, "laemrang.staff", date(2018, 10, 26)),
    (Action.COMPLETE_POSTING, "laemrang.staff", date(2018, 11, 26)),
)
PLACES = ("บอร์ดประชาสัมพันธ์ อบต.แหลมรัง", "เว็บไซต์ อบต.แหลมรัง")


@dataclass(frozen=True)
class DemoResult:
    created: bool
    plan_id: int
    usernames: tuple[tuple[str, Role], ...]
    password: str = DEMO_PASSWORD
    tokens: tuple[tuple[str, Role, str], ...] = ()  # username, role, a fresh bearer token


def seed(engine: Engine, ctx: Context) -> DemoResult:
    with Session(engine) as session:
        org = session.exec(select(Organization).where(Organization.code == ORG_CODE)).first()
        existing = (
            session.exec(select(Plan).where(Plan.organization_id == org.id)).first()
            if org is not None
            else None
        )
    if org is None:
        uow.run(engine, ctx.clock, lambda s: _seed_people(s, ctx.clock))
        plan_id = uow.run(engine, ctx.clock, lambda s: _create_plan(s, ctx))
        uow.run(engine, ctx.clock, lambda s: _seed_content(s, ctx, plan_id))
        today = today_bangkok(ctx.clock)
        for action, username, on in STEPS:
            if on <= today:  # a clock set before a step (a test's) leaves the plan short of it
                _step(engine, ctx, plan_id, action, username, on)
        seed_progress(engine, ctx, plan_id)  # api/demo_progress.py
        seed_report(engine, ctx, plan_id)  # api/demo_report.py: its 6-month report
        current = uow.run(engine, ctx.clock, lambda s: _create_current(s, ctx, today))
        _step(engine, ctx, current, Action.SUBMIT, "laemrang.staff", today - timedelta(days=3))
    else:
        plan_id = existing.id if existing and existing.id else 0
    tokens = uow.run(engine, ctx.clock, lambda s: _credentials(s, ctx.clock))
    return DemoResult(org is None, plan_id, _names(), tokens=tokens)


def demo_email(username: str) -> str:
    """The demo people's addresses: delivered when a (local) SMTP server is configured
    (docs/operations.md "Watching alerts without real accounts")."""
    return f"{username.replace('.', '-')}@{EMAIL_DOMAIN}"


def _credentials(session: Session, clock: Clock) -> tuple[tuple[str, Role, str], ...]:
    """The demo password for users without one, an e-mail address for those without one, and a
    new 30-day token for each user."""
    issued = []
    have = dict(list_emails(session))
    for username, role, _ in USERS:
        user = session.exec(select(User).where(User.username == username)).one()
        if username not in have:
            set_email(session, username=username, email=demo_email(username), clock=clock)
        if user.password_hash is None:
            set_password(session, clock=clock, username=username, password=DEMO_PASSWORD)
        token = issue_token(
            session, username=username, clock=clock, lifetime=TOKEN_LIFETIME, label="demo"
        )
        issued.append((username, role, token.token))
    return tuple(issued)


def _names() -> tuple[tuple[str, Role], ...]:
    return tuple((name, role) for name, role, _ in USERS)


def _seed_people(session: Session, clock: Clock) -> None:
    org = add_organization(
        session,
        code=ORG_CODE,
        name="องค์การบริหารส่วนตำบลแหลมรัง",
        org_type=OrgType.SAO,
        district="บึงนาราง",
        province="พิจิตร",
    )
    for username, role, full_name in USERS:
        add_user(
            session,
            clock=clock,
            username=username,
            role=role,
            full_name=full_name,
            organization=org,
            scope_province="พิจิตร" if role is Role.AUDITOR else None,
        )
    for username, role in SECOND_ROLES:
        user = session.exec(select(User).where(User.username == username)).one()
        add_membership(
            session, actor=SYSTEM, clock=clock, user=user, role=role, organization_id=org.id,
            starts_on=today_bangkok(clock),
        )  # fmt: skip


def _create_plan(session: Session, ctx: Context) -> int:
    org = session.exec(select(Organization).where(Organization.code == ORG_CODE)).one()
    assert org.id is not None
    user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
    plan = create_plan(
        session,
        ctx,
        new=NewPlan(
            organization_id=org.id,
            kind=PlanKind.ANNUAL,
            trigger_kind=TriggerKind.ANNUAL_BUDGET,
            trigger_on=date(2018, 9, 20),
            fiscal_year_be=2562,
            title="แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562",
            trigger_note="ข้อบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2562 ประกาศ 20 ก.ย. 2561",
        ),
        actor=actor_for(session, user),
        effective_on=date(2018, 9, 21),
    )
    assert plan.id is not None
    return plan.id


def _seed_content(session: Session, ctx: Context, plan_id: int) -> None:
    """The demo's content (workflow/content_seed.py) into the draft before it is submitted, so
    the submit, approve and announce records name its hash (the same on every run)."""
    user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
    replace_content(
        session,
        ctx,
        plan_id=plan_id,
        actor=actor_for(session, user),
        expected_revision=0,
        content=demo_content(),
        source="localplan demo",
    )
def _create_current(session: Session, ctx: Context, today: date) -> int:
    """A supplementary plan whose dates follow today (docs/guide/README.md): its trigger 25
    days ago, so the 30-day preparation deadline falls this week and the committee has it
    to review; the first screen shows what is due now, not only the FY 2562 history."""
    org = session.exec(select(Organization).where(Organization.code == ORG_CODE)).one()
    user = session.exec(select(User).where(User.username == "laemrang.staff")).one()
    assert org.id is not None
    trigger_on = today - timedelta(days=CURRENT_TRIGGER_DAYS_AGO)
    year = fiscal_year_be(trigger_on)
    plan = create_plan(
        session,
        ctx,
        new=NewPlan(
            organization_id=org.id,
            kind=PlanKind.SUPPLEMENTARY,
            trigger_kind=TriggerKind.ACCUMULATED_FUNDS,
            trigger_on=trigger_on,
            fiscal_year_be=year,
            title=f"แผนการดำเนินงานเพิ่มเติม ประจำปีงบประมาณ พ.ศ. {year} (จ่ายขาดเงินสะสม)",
            trigger_note="สภา อบต. อนุมัติจ่ายขาดเงินสะสม (ตัวอย่างสาธิต)",
        ),
        actor=actor_for(session, user),
        effective_on=trigger_on + timedelta(days=1),
    )
    assert plan.id is not None
    return plan.id


def _step(
    engine: Engine, ctx: Context, plan_id: int, action: Action, username: str, on: date
) -> None:
    uow.run(engine, ctx.clock, lambda s: _act(s, ctx, plan_id, action, username, on))


def _act(
    session: Session, ctx: Context, plan_id: int, action: Action, username: str, on: date
) -> None:
    user = session.exec(select(User).where(User.username == username)).one()
    plan = session.get(Plan, plan_id)
    assert plan is not None
    perform(
        session,
        ctx,
        plan_id=plan_id,
        action=action,
        actor=actor_for(session, user),
        expected_version=plan.version,
        effective_on=on,
        comment="ตัวอย่างสาธิต / demo data",
        places=PLACES if action is Action.POST else (),
    )
