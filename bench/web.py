"""`web`: the pages people wait for, through one uvicorn process serving the real app over a
SQLite file (bench/http_app.py), against its trivial JSON route in the same run: the
dashboard of an auditor whose scope holds about 100 organizations and 2,000 plans, and the
public notice board of 7,850 organizations' posted plans, paged and searched as a citizen
uses it.

One client, one request at a time on a kept-alive connection (a person waits for one page);
the routes take turns request by request, so each sees the same load on a shared machine.
"""

from __future__ import annotations

import http.client
import random
import re
import shutil
import statistics
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import audit, audit_data, load
from bench.harness import versions
from models.clock import SystemClock
from models.db import make_engine, read_session
from models.enums import Role
from workflow import plan_lists, uow
from workflow.account_admin import set_password
from workflow.accounts import add_user

TARGET = "each page's p95 ≤ 5× the trivial route's p95, in the same run"
PROVINCE_ORG = 2  # the auditor's province is this organization's (not the busy one's)
AUDITOR, PASSWORD = "auditor.web", "bench-web-password-2569"
# 157,000 plans in the current year: about 20 an organization, so a province (about 100
# organizations) holds about 2,000 plans; one plan in twenty is posted (bench/audit_data.py
# CURRENT_STEPS), 7,850 in all, spread over the organizations.
PLANS = 157_000


def full() -> str:
    return run(plans=PLANS, requests=100, cache=True)


def quick() -> str:
    return run(plans=8_000, requests=10)


@dataclass(frozen=True)
class Route:
    name: str
    paths: Callable[[random.Random], str]
    signed_in: bool = False


def run(*, plans: int, requests: int, cache: bool = False) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="localplan-bench-web-"))
    try:
        return _run(workdir, plans, requests, audit.data_dir(workdir, cache=cache))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(workdir: Path, plans: int, requests: int, data: Path) -> str:
    records = plans * sum(audit_data.CURRENT_STEPS) // len(audit_data.CURRENT_STEPS)
    path, shape, build_s = audit.dataset(data, records, plans)
    province = audit_data.province_of(PROVINCE_ORG)
    scope = _auditor(path, province)
    port = load.free_port()
    routes = _routes(province)
    with load.server(load.uvicorn_command(port), database=path, port=port, log=workdir / "log"):
        seconds, sizes = _measure(port, routes, requests)
    notes = (
        f"A SQLite file filled by bench/audit_data.py with the current fiscal year only: "
        f"{shape.plans:,} plans of {audit_data.ORGS:,} organizations in "
        f"{audit_data.PROVINCES} provinces, {shape.records:,} records (built in {build_s:.0f} s), "
        f"{scope[2]:,} plans posted. The auditor's scope is {province}: {scope[0]} "
        f"organizations, {scope[1]:,} plans, on the dashboard {plan_lists.DASHBOARD_PAGE} a page "
        f"(every fiscal year). The "
        f"board: pages of 25 organizations, a random page of all, a random page of one "
        f"province, and an organization's name searched. One uvicorn process "
        f"(bench/http_app.py) on 127.0.0.1; one client (http.client), one request at a time on a "
        f"kept-alive connection, the routes in turn, {requests} requests each after "
        f"{max(2, requests // 10)} untimed; the trivial route is `GET /bench/trivial` (JSON, "
        f"no database). {versions('fastapi', 'uvicorn', 'jinja2', 'SQLAlchemy')}."
    )
    return _table(notes, routes, seconds, sizes)


def _auditor(path: Path, province: str) -> tuple[int, int, int]:
    """An auditor of `province` with a password; the organizations and plans it sees, and
    the plans posted in all."""
    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{path}")
    clock = SystemClock()
    with read_session(engine) as db:
        exists = db.connection().execute(
            sa.text("SELECT count(*) FROM user WHERE username = :u"), {"u": AUDITOR}
        ).scalar_one()
    if not exists:
        uow.run(engine, clock, lambda s: add_user(
            s, clock=clock, username=AUDITOR, role=Role.AUDITOR, scope_province=province))
        uow.run(engine, clock, lambda s: set_password(
            s, clock=clock, username=AUDITOR, password=PASSWORD))
    with read_session(engine) as db:
        conn = db.connection()
        orgs = conn.execute(
            sa.text("SELECT count(*) FROM organization WHERE province = :p"), {"p": province}
        ).scalar_one()
        counts = conn.execute(sa.text(
            "SELECT sum(o.province = :p), sum(p.state = 'posted') FROM plan p "
            "JOIN organization o ON o.id = p.organization_id"), {"p": province}).one()
    engine.dispose()
    return int(orgs), int(counts[0]), int(counts[1])


def _routes(province: str) -> list[Route]:
    board_pages = 7_850 // 25
    return [
        Route("trivial JSON route (baseline)", lambda r: load_trivial()),
        Route("auditor's dashboard (≈100 organizations, ≈2,000 plans), first page",
              lambda r: "/dashboard", signed_in=True),
        Route(f"auditor's dashboard, a later page ({plan_lists.DASHBOARD_PAGE} plans)",
              lambda r: f"/dashboard?page={r.randrange(2, 2_000 // plan_lists.DASHBOARD_PAGE)}",
              signed_in=True),
        Route("public board, a page of all (25 organizations)",
              lambda r: f"/notices?page={r.randrange(1, board_pages)}"),
        Route("public board, a province, a page",
              lambda r: "/notices?province="
              f"{audit_data.province_of(r.randrange(audit_data.PROVINCES))}"
              f"&page={r.randrange(1, 5)}"),
        Route("public board, an organization's name searched",
              lambda r: f"/notices?organization=ส่วนท้องถิ่น {r.randrange(2, 7850)}"),
    ]


def load_trivial() -> str:
    from bench.http_app import TRIVIAL

    return TRIVIAL


class Client:
    """One kept-alive HTTP/1.1 connection with its cookies (the standard library's client)."""

    def __init__(self, port: int) -> None:
        self._conn = http.client.HTTPConnection(load.HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes, float]:
        """The status, the body and the seconds the answer took; a connection the server
        closed while idle (uvicorn's keep-alive is 5 s) is opened again, untimed."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        target = urllib.parse.quote(path, safe="/?=&")
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self._conn.request(method, target, body, headers)
                response = self._conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                self._conn.close()
                if attempt == 2:
                    raise
        took = time.perf_counter() - start
        for header in response.headers.get_all("set-cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, took

    def close(self) -> None:
        self._conn.close()


def _measure(
    port: int, routes: list[Route], requests: int
) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    rng = random.Random(21)
    seconds: dict[str, list[float]] = {r.name: [] for r in routes}
    sizes: dict[str, list[int]] = {r.name: [] for r in routes}
    public, auditor = Client(port), Client(port)
    try:
        _sign_in(auditor)
        warm = max(2, requests // 10)
        for n in range(warm + requests):
            for route in routes:
                client = auditor if route.signed_in else public
                path = route.paths(rng)
                status, content, took = client.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"{path}: {status} {content[:300]!r}")
                if n >= warm:
                    seconds[route.name].append(took)
                    sizes[route.name].append(len(content))
    finally:
        public.close()
        auditor.close()
    return seconds, sizes


def _sign_in(client: Client) -> None:
    status, page, _ = client.request("GET", "/signin")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert status == 200 and token is not None, page[:300]
    form = {"csrf_token": token.group(1).decode(), "username": AUDITOR, "password": PASSWORD}
    status, page, _ = client.request("POST", "/signin", form)
    assert status == 303, page[:300]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _table(
    notes: str, routes: list[Route], seconds: dict[str, list[float]], sizes: dict[str, list[int]]
) -> str:
    base = p95(seconds[routes[0].name])
    lines = [
        "### web",
        "",
        notes,
        "",
        "| what | median ms | p95 ms | max ms | median bytes | p95 ÷ trivial p95 |",
        "|---|---|---|---|---|---|",
    ]
    for route in routes:
        s = seconds[route.name]
        lines.append(
            f"| {route.name} | {statistics.median(s) * 1000:,.1f} | {p95(s) * 1000:,.1f} "
            f"| {max(s) * 1000:,.1f} | {statistics.median(sizes[route.name]):,.0f} "
            f"| {p95(s) / base:.1f} |"
        )
    return "\n".join([*lines, "", f"Target: {TARGET}", ""])
