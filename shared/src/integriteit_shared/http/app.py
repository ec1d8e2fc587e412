"""The one app factory every service uses: plumbing here, domain routers from the service."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from integriteit_shared.auth.validation import TokenValidator
from integriteit_shared.bewaartermijnen import Bewaarregel, BewaartermijnBewaker
from integriteit_shared.crypto.anker import AuditAnchorPublisher
from integriteit_shared.crypto.audit import AuditKeys, IncrementalVerifier, use_audit_keys
from integriteit_shared.crypto.chainer import AuditChainer
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.crypto.koppeling import Koppelaar
from integriteit_shared.db.session import Database
from integriteit_shared.events import topics
from integriteit_shared.events.topics import source_urn
from integriteit_shared.http.body import BodyGuard
from integriteit_shared.http.docs import install_docs
from integriteit_shared.http.errors import install_error_handlers
from integriteit_shared.http.middleware import ApiMiddleware
from integriteit_shared.http.openapi import install_adr_openapi
from integriteit_shared.http.routing import include_routes

# the request's transaction, defined beside the app for every router that imports it here
from integriteit_shared.http.sessie import SessionDep as SessionDep
from integriteit_shared.http.sessie import get_session as get_session
from integriteit_shared.logging import configure_logging
from integriteit_shared.messaging.consumer import BatchDone, ConsumerRunner, Handler
from integriteit_shared.messaging.herpublicatie import HerpublicatieKanaal, Volledigheid
from integriteit_shared.messaging.relay import OutboxRelay
from integriteit_shared.notificaties import (
    Adresboek,
    NotificatieVerzender,
    Planner,
    Planning,
    Sjabloon,
)
from integriteit_shared.observability import Metrics
from integriteit_shared.settings import ServiceSettings


@dataclass
class ConsumerSpec:
    topic_names: tuple[str, ...]
    group_id: str
    handler: Handler
    # called once at the end of each consumer transaction, after the handler's calls
    batch_done: BatchDone | None = None


@dataclass
class ServiceSpec:
    name: str
    title: str
    description: str
    routers: Sequence[APIRouter]
    consumer: ConsumerSpec | None = None
    # extra startup/shutdown work of the service (runs inside the lifespan)
    on_startup: Sequence[Callable[[FastAPI], Awaitable[None]]] = field(default_factory=tuple)
    on_shutdown: Sequence[Callable[[FastAPI], Awaitable[None]]] = field(default_factory=tuple)
    # the service queues audit entries (`queue_audit`): chain them in the background
    audit_queue: bool = False
    # the kinds of mail the service sends (integriteit_shared.notificaties); with them, a
    # sender in the lifespan mails what is due
    sjablonen: Mapping[str, Sjabloon] | None = None
    # plans the reminders that deadlines make due, before each round of the sender
    planning: Planning | None = None
    # resolves recipient references ("ref:...") at send time
    adresboek: Adresboek | None = None
    # its retention rules (integriteit_shared.bewaartermijnen): purged daily in the lifespan
    bewaarregels: Sequence[Bewaarregel] = ()


def base_path(name: str) -> str:
    return f"/api/{name}/v1"


class _Background(Protocol):
    def start(self) -> None: ...

    async def stop(self) -> None: ...


def _background(
    app: FastAPI,
    db: Database,
    relay: OutboxRelay,
    settings: ServiceSettings,
    spec: ServiceSpec,
    audit_keys: AuditKeys,
) -> list[_Background]:
    """The service's background tasks besides the relay, in the order they start."""
    tasks: list[_Background] = []
    app.state.audit_anker = None
    if spec.name in topics.AUDIT_SYSTEMS:
        app.state.audit_anker = AuditAnchorPublisher(
            db,
            source=source_urn(spec.name),
            interval_s=settings.audit_anker_interval_s,
            notify=relay.notify,
        )
        tasks.append(app.state.audit_anker)
    app.state.audit_chainer = AuditChainer(db, keys=audit_keys) if spec.audit_queue else None
    if app.state.audit_chainer is not None:
        tasks.append(app.state.audit_chainer)
    app.state.consumer = None
    app.state.volledigheid = None
    if spec.consumer is not None:
        app.state.consumer = ConsumerRunner(
            db,
            settings,
            topic_names=spec.consumer.topic_names,
            group_id=spec.consumer.group_id,
            handler=spec.consumer.handler,
            batch_done=spec.consumer.batch_done,
            metrics=app.state.metrics,
        )
        tasks.append(app.state.consumer)
        app.state.volledigheid = Volledigheid(db, settings.herpublicatie_gat_na_s)
    tasks.append(
        HerpublicatieKanaal(
            db,
            settings,
            hoogste=relay.highest_published,
            na_herpublicatie=relay.notify,
            volledigheid=app.state.volledigheid,
            bijgewerkt=lambda: app.state.consumer is not None and app.state.consumer.caught_up,
        )
    )
    app.state.notificaties = None
    if spec.sjablonen:
        app.state.notificaties = NotificatieVerzender(
            db,
            settings,
            app.state.cipher,
            spec.sjablonen,
            planning=spec.planning,
            adresboek=spec.adresboek,
        )
        tasks.append(app.state.notificaties)
    if spec.bewaarregels:
        tasks.append(BewaartermijnBewaker(db, settings, spec.bewaarregels))
    return tasks


def create_app(settings: ServiceSettings, spec: ServiceSpec) -> FastAPI:
    configure_logging(settings.log_level, service=spec.name)
    metrics = Metrics(spec.name)
    base = base_path(spec.name)
    # the chain's keys for every record_audit/chain_queued of this service (`use_audit_keys`)
    audit_keys = AuditKeys.from_setting(settings.audit_keys)
    use_audit_keys(audit_keys)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # what start-up made (modules, models, routes) lives as long as the process: keep
        # it out of the collector's way, so that collections under load stay short
        gc.freeze()
        db = Database(settings.database_url)
        relay = OutboxRelay(db, settings, metrics)
        app.state.db = db
        app.state.relay = relay
        app.state.consumer = None
        relay.start()
        background = _background(app, db, relay, settings, spec, audit_keys)
        for task in background:
            task.start()
        for hook in spec.on_startup:
            await hook(app)
        try:
            yield
        finally:
            for hook in spec.on_shutdown:
                await hook(app)
            # reverse order: the consumer before the chainer, the last entries chained
            # before the head is published, the relay (below) last to send it
            for task in reversed(background):
                await task.stop()
            await relay.stop()
            await db.dispose()

    app = FastAPI(
        title=spec.title,
        version=settings.api_version,
        description=spec.description,
        lifespan=lifespan,
        openapi_url=f"{base}/openapi.json",
        # Swagger UI and ReDoc from the files shipped with the project (`install_docs`);
        # the documents use an http bearer scheme, so there is no OAuth2 redirect page
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        redirect_slashes=False,
    )
    app.router.redirect_slashes = False
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.token_validator = TokenValidator.from_settings(settings)
    app.state.cipher = FieldCipher.from_setting(settings.encryption_keys)
    app.state.planner = Planner(app.state.cipher, settings)
    app.state.koppelaar = Koppelaar(settings.koppelsleutel)
    install_error_handlers(app)
    install_adr_openapi(app, base_path=base, description=spec.description)
    install_docs(app, base_path=base)
    app.add_middleware(BodyGuard)
    app.add_middleware(ApiMiddleware, api_version=settings.api_version, metrics=metrics)

    for router in spec.routers:
        include_routes(app, router, prefix=base)
    # every service's audit log, for beheerder (imported here: it uses this module's
    # session dependency)
    from integriteit_shared.http.auditlog import auditlog_router

    app.state.audit_verifier = IncrementalVerifier(keys=audit_keys)
    include_routes(app, auditlog_router(app.state.audit_verifier), prefix=base)
    include_routes(app, _operational_router(), prefix="")
    return app


def _operational_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready(request: Request) -> JSONResponse:
        state = request.app.state
        db_ok = await state.db.ping()
        backlog = await state.relay.backlog() if db_ok else None
        checks: dict[str, Any] = {
            "database": "ok" if db_ok else "onbereikbaar",
            "broker": "ok" if state.relay.broker_ok else "onbereikbaar",
            "outboxAchterstand": backlog,
        }
        if state.consumer is not None:
            checks["consumer"] = "ok" if state.consumer.connected else "niet verbonden"
        partitions = state.relay.partition_problem or (
            state.consumer.partition_problem if state.consumer is not None else None
        )
        if partitions is not None:
            checks["topics"] = partitions
        healthy = (
            db_ok
            and state.relay.broker_ok
            and partitions is None
            and (state.consumer is None or state.consumer.connected)
        )
        status = "ok" if healthy else "niet gereed"
        if state.volledigheid is not None:
            # events missing for a while (a gap in a source's sequence): still serving,
            # asking for them again (messaging.herpublicatie), but the figures may be short
            gaten = [gat.json() for gat in state.volledigheid.lang_open()]
            checks["ontbrekendeGebeurtenissen"] = gaten
            if gaten and healthy:
                status = "degraded"
        return JSONResponse(
            {"status": status, "checks": checks}, status_code=200 if healthy else 503
        )

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        state = request.app.state
        if await state.db.ping():
            await state.relay.backlog()
        return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


# async on purpose: FastAPI runs a plain `def` dependency in a worker thread, a thread hop
# per request for an attribute lookup.
async def get_cipher(request: Request) -> FieldCipher:
    cipher: FieldCipher = request.app.state.cipher
    return cipher


CipherDep = Annotated[FieldCipher, Depends(get_cipher)]


async def get_planner(request: Request) -> Planner:
    planner: Planner = request.app.state.planner
    return planner


PlannerDep = Annotated[Planner, Depends(get_planner)]


async def get_koppelaar(request: Request) -> Koppelaar:
    koppelaar: Koppelaar = request.app.state.koppelaar
    return koppelaar


KoppelaarDep = Annotated[Koppelaar, Depends(get_koppelaar)]
"""Links a named melder's or klager's sub to their case (a keyed hash)."""


def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings
