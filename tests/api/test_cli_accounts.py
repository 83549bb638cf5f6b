"""The account commands added with the API: tokens create/list/revoke, users set-password."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app as cli_app
from tests.api.conftest import Team, problem


def run(db_url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli_app, list(args), env={"LOCALPLAN_DATABASE_URL": db_url}, input=stdin
    )
    return result.exit_code, result.stdout, result.stderr


def test_token_lifecycle_from_the_cli(client: TestClient, home: Team, db_url: str) -> None:
    user = home.office.committee.username
    code, out, err = run(db_url, "tokens", "create", "--username", user, "--expires-days", "7")
    assert code == 0, err
    token = out.strip()
    assert token.startswith("lp_") and "shown once" in err
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json()["username"] == user

    code, listing, _ = run(db_url, "tokens", "list", "--username", user)
    rows = [line.split("\t") for line in listing.strip().splitlines()]
    assert code == 0 and token not in listing  # the token itself is never shown again
    created = next(r for r in rows if r[2] == "cli")
    assert created[1] == token[:10] + "…" and created[5] == "-"

    code, out, _ = run(db_url, "tokens", "revoke", created[0])
    assert code == 0 and "1 token(s) revoked" in out
    problem(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")
    code, _, err = run(db_url, "tokens", "revoke", created[0])
    assert code == 1 and "no live token" in err


def test_unknown_user_and_bad_lifetime_are_refused(home: Team, db_url: str) -> None:
    code, _, err = run(db_url, "tokens", "create", "--username", "ghost")
    assert code == 2 and "user_not_found" in err
    code, _, _ = run(db_url, "tokens", "create", "--username", "x", "--expires-days", "0")
    assert code == 2


def test_set_password_then_log_in(client: TestClient, home: Team, db_url: str) -> None:
    user = home.office.executive.username
    code, _, err = run(
        db_url,
        "users",
        "set-password",
        "--username",
        user,
        "--password-stdin",
        stdin="a-long-password-1\n",
    )
    assert code == 0, err
    login = client.post(
        "/api/v1/auth/token", data={"username": user, "password": "a-long-password-1"}
    )
    assert login.status_code == 200, login.text
    code, _, err = run(
        db_url, "users", "set-password", "--username", user, "--password-stdin", stdin="short\n"
    )
    assert code == 2 and "password_too_short" in err
