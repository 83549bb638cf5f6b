"""A module's path operations, declared with FastAPI's decorators and built once, on the app.

FastAPI builds a route's dependant (its parameters, body and response models, as pydantic
adapters) when the decorator runs, and builds it again for each `include_router`, the
included copy being the one that answers; for localplan's 190 routes that second build was
about a quarter of `serve`'s start (docs/benchmarks.md "Speed, seventh round: serve's start").
`Routes` takes the same decorator arguments as `APIRouter` but only records them, and
`install` adds each route to the app's own router with `add_api_route`, once, in declaration
order, with the prefix, tags, responses and route class a router would have given it. The
app then holds plain routes, so a request is matched against one list, not one included
router after another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter
from fastapi.routing import APIRoute

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True)
class _Declared:
    path: str
    endpoint: Callable[..., Any]
    methods: tuple[str, ...]
    options: dict[str, Any]


@dataclass
class Routes:
    """Path operations under one prefix, tags and error responses, waiting to be installed."""

    prefix: str = ""
    tags: list[str] = field(default_factory=list)
    responses: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    route_class: type[APIRoute] = APIRoute
    include_in_schema: bool = True
    _declared: list[_Declared] = field(default_factory=list, repr=False)

    def get(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route(path, ("GET",), **options)

    def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route(path, ("POST",), **options)

    def put(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route(path, ("PUT",), **options)

    def patch(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route(path, ("PATCH",), **options)

    def delete(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route(path, ("DELETE",), **options)

    def route(
        self, path: str, methods: tuple[str, ...], **options: Any
    ) -> Callable[[Endpoint], Endpoint]:
        def record(endpoint: Endpoint) -> Endpoint:
            self._declared.append(_Declared(path, endpoint, methods, options))
            return endpoint

        return record

    def install(self, router: APIRouter, *, prefix: str = "") -> None:
        """Add every declared route to `router` (the app's), under `prefix` and this prefix."""
        for declared in self._declared:
            options = dict(declared.options)
            tags = [*self.tags, *options.pop("tags", [])]
            responses = {**self.responses, **options.pop("responses", {})}
            shown = options.pop("include_in_schema", True) and self.include_in_schema
            router.add_api_route(
                prefix + self.prefix + declared.path,
                declared.endpoint,
                methods=list(declared.methods),
                tags=tags,
                responses=responses,
                include_in_schema=shown,
                route_class_override=self.route_class,
                **options,
            )
