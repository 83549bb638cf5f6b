"""api/routing.py: path operations recorded by `Routes` and built once, on the app's router,
as an included `APIRouter` would have placed them."""

from __future__ import annotations

from collections import Counter

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.routing import Routes
from api.web.render import WebRoute


class Marked(APIRoute):
    """A route class of the test's own, to see it kept."""


def test_install_places_each_route_under_the_prefixes_with_the_routers_settings() -> None:
    seen: list[str] = []

    def app_wide(request: Request) -> None:  # as the app's StrictQuery runs on every route
        seen.append(request.url.path)

    routes = Routes(
        prefix="/plans",
        tags=["plans"],
        responses={404: {"description": "no such plan"}},
        route_class=Marked,
    )

    def read(plan_id: int) -> dict[str, int]:
        return {"id": plan_id}

    assert routes.get("/{plan_id}", tags=["read"], responses={409: {"description": "x"}})(
        read
    ) is read  # the decorator hands the function back unchanged
    routes.post("/{plan_id}/actions", status_code=201)(lambda plan_id: {"acted": plan_id})
    routes.delete("/{plan_id}", include_in_schema=False)(lambda plan_id: None)

    app = FastAPI(dependencies=[Depends(app_wide)])
    assert not [r for r in app.router.routes if isinstance(r, Marked)]  # nothing built yet
    routes.install(app.router, prefix="/api/v1")

    built = [r for r in app.router.routes if isinstance(r, Marked)]
    assert [(r.path, sorted(r.methods or ())) for r in built] == [
        ("/api/v1/plans/{plan_id}", ["GET"]),
        ("/api/v1/plans/{plan_id}/actions", ["POST"]),
        ("/api/v1/plans/{plan_id}", ["DELETE"]),
    ]
    get, post, delete = built
    assert get.tags == ["plans", "read"] and post.tags == ["plans"]
    assert set(get.responses) == {404, 409} and set(post.responses) == {404}
    assert post.status_code == 201
    assert get.include_in_schema and not delete.include_in_schema

    with TestClient(app) as client:
        assert client.get("/api/v1/plans/7").json() == {"id": 7}
        assert client.post("/api/v1/plans/7/actions").status_code == 201
        assert client.get("/api/v1/plans/x").status_code == 422  # parameters as FastAPI reads
    assert seen == ["/api/v1/plans/7", "/api/v1/plans/7/actions", "/api/v1/plans/x"]


def test_a_router_that_hides_its_routes_hides_every_one() -> None:
    routes = Routes(include_in_schema=False)
    routes.get("/page", include_in_schema=True)(lambda: {})
    app = FastAPI()
    routes.install(app.router)
    assert app.openapi()["paths"] == {}


def test_the_app_holds_each_route_once_and_no_included_router(client: TestClient) -> None:
    """Every path operation is a route of the app's own router: none is an included router's
    (built a second time), none is there twice, and the pages keep their route class."""
    routes = client.app.router.routes  # type: ignore[attr-defined]
    assert {type(r).__name__ for r in routes} <= {"APIRoute", "WebRoute", "Route", "Mount"}
    operations = Counter(
        (r.path, method) for r in routes if isinstance(r, APIRoute) for method in r.methods or ()
    )
    assert operations and max(operations.values()) == 1
    assert len(operations) > 150  # the API's and the pages' (190 when this was written)
    pages = [r for r in routes if isinstance(r, APIRoute) and r.path == "/plans/{plan_id:int}"]
    assert pages and all(isinstance(r, WebRoute) for r in pages)
    assert client.get("/healthz").status_code == 200
