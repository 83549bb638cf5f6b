"""GET /healthz: is the database reachable and at the latest migration; does this process
sign checkpoints."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.deps import Services, ServicesDep
from api.keys import process_signer, public_info
from api.routing import Routes
from api.scheduler_status import scheduler_status
from api.schemas.health import Health, SetAside, Signing
from models.db import migrations_current, read_session
from workflow.faults import open_faults

router = Routes(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(services: ServicesDep) -> JSONResponse:
    """200 when the database answers and is migrated to head (`degraded` while the sweep sets
    a deadline aside); 503 otherwise."""
    try:
        current = migrations_current(services.engine)
        database = "ok"
    except SQLAlchemyError as err:
        current, database = False, f"unreachable: {type(err).__name__}"
    healthy = database == "ok" and current
    set_aside = _set_aside(services) if healthy else []
    body = Health(
        status=("degraded" if set_aside else "ok") if healthy else "unavailable",
        database=database,
        migrations_current=current,
        scheduler=scheduler_status(services.engine, services.clock, settings=services.settings),
        signing=_signing(services.settings.signing_key_file),
        set_aside=set_aside,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if healthy else 503)


def _signing(path: str | None) -> Signing:
    signer = process_signer(path)
    if signer.key is None:
        return Signing(signs=False, reason=signer.reason)
    return Signing(signs=True, key_name=signer.key.name, key_id=public_info(signer.key)["key_id"])


def _set_aside(services: Services) -> list[SetAside]:
    with read_session(services.engine) as session:
        return [
            SetAside(
                deadline_id=f.deadline_id,
                plan_id=f.plan_id,
                error=f.error,
                since=f.set_aside_at,
                tries=f.tries,
            )
            for f in open_faults(session)
        ]
