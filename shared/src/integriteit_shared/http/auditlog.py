"""`GET {base}/auditlog`: the service's audit log for `beheerder`, with the chain's state.

Every service mounts this one router (`create_app`). The entries are filtered on object,
actor and period, in the order they happened, paged (`Link`, `X-Total-Count`). Each page
carries where the verification of the chain stands (`IncrementalVerifier`: bounded work per
request). A melder is shown as `melder` (`shown_actor`), never by session or sub. Reading
the log is itself an audit entry: which filters were used (their names, and the object's
id when one was asked for), by whom.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import (
    AwareDatetime,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from typing_extensions import TypeAliasType

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import (
    AuditEntry,
    AuditFilter,
    ChainState,
    IncrementalVerifier,
    audit_query,
    record_audit,
    shown_actor,
)
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, pagina, set_link_header
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.http.sessie import SessionDep
from integriteit_shared.kalender import AMSTERDAM
from integriteit_shared.schemas import CamelModel, buiten_bereik

__all__ = [
    "AuditRegel",
    "Auditlog",
    "Ketenverificatie",
    "audit_regel",
    "auditlog_router",
    "ketenverificatie",
]

AUDITLOG_OBJECT = "auditlog"


_TIJDSTIP = TypeAdapter(AwareDatetime)


def _tijdstip(value: object) -> datetime | date:
    """A calendar date (`2026-12-01`: a whole day in Europe/Amsterdam) or a moment with its
    UTC offset; one reason when it is neither (a union would report one per kind)."""
    if isinstance(value, datetime | date):
        result: datetime | date = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            result = date.fromisoformat(value)
        except ValueError:
            raise ValueError("Geen geldige datum (JJJJ-MM-DD).") from None
    else:
        try:
            result = _TIJDSTIP.validate_python(value)
        except ValidationError:
            raise ValueError(
                "Geen geldige datum (JJJJ-MM-DD) of moment met tijdzone (ISO 8601)."
            ) from None
    if reden := buiten_bereik(result):
        raise ValueError(reden)
    return result


Tijdstip = Annotated[
    datetime | date,
    PlainValidator(_tijdstip),
    WithJsonSchema(
        {
            "type": "string",
            "description": "Een datum (JJJJ-MM-DD) of een moment met tijdzone (ISO 8601).",
            "examples": ["2026-12-01", "2026-12-01T09:00:00+01:00"],
        }
    ),
]


def _begin(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), tzinfo=AMSTERDAM)


def _einde(value: datetime | date) -> datetime:
    """The exclusive end of `tot`: a date includes its whole day."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1), time(), tzinfo=AMSTERDAM)


class AuditRegel(CamelModel):
    """One entry: who did what to which fields of which object, when. Never values."""

    volgnummer: int | None
    moment: datetime
    actor: str
    actie: str
    object_type: str
    object_id: str
    velden: list[str]
    request_id: str | None


def audit_regel(entry: AuditEntry) -> AuditRegel:
    return AuditRegel(
        volgnummer=entry.volgnummer,
        moment=entry.occurred_at,
        actor=shown_actor(entry.actor),
        actie=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        velden=[f for f in entry.fields.split(",") if f],
        request_id=entry.request_id,
    )


# where the verification of the chain stands (a named code list in the OpenAPI document)
Ketenstatus = TypeAliasType("Ketenstatus", Literal["ok", "bezig", "gebroken"])


class Ketenverificatie(CamelModel):
    """Where the verification of the chain stands. `ok`: every entry up to
    `laatsteVolgnummer` (the chain's end when the page was read) verifies; `bezig`: those
    verify, the rest follows in the next requests; `gebroken`: the entry `eersteFouteId` does
    not verify, for the reason given."""

    status: Ketenstatus
    gecontroleerd: int
    laatste_volgnummer: int | None
    eerste_foute_id: int | None
    reden: str | None
    controle_begonnen_op: datetime


def ketenverificatie(state: ChainState) -> Ketenverificatie:
    v = state.verification
    status: Ketenstatus = "gebroken" if not v.ok else ("ok" if state.complete else "bezig")
    return Ketenverificatie(
        status=status,
        gecontroleerd=v.checked,
        laatste_volgnummer=v.last_volgnummer,
        eerste_foute_id=v.first_bad_id,
        reden=v.reason,
        controle_begonnen_op=state.walk_started_at,
    )


class Auditlog(CamelModel):
    verificatie: Ketenverificatie
    regels: list[AuditRegel]


Beheerder = Annotated[Principal, Depends(require_roles(Rol.beheerder))]


def auditlog_router(verifier: IncrementalVerifier) -> APIRouter:
    router = APIRouter(tags=["auditlog"])

    @router.get(
        "/auditlog",
        response_model=Auditlog,
        operation_id="auditlogLezen",
        summary="Het auditlog van deze service lezen, met de stand van de ketencontrole",
        description=(
            "Wie welke beschermde gegevens las of wijzigde, wanneer; gefilterd en gepagineerd, "
            "op volgorde van moment. Een melder staat er als `melder`, zonder identiteit. "
            "Het lezen zelf komt ook in het auditlog."
        ),
    )
    async def auditlog(
        request: Request,
        response: Response,
        session: SessionDep,
        principal: Beheerder,
        page: PageDep,
        object_type: Annotated[
            str | None,
            Query(alias="objectType", min_length=1, max_length=100, description="Soort object."),
        ] = None,
        object_id: Annotated[
            str | None,
            Query(alias="objectId", min_length=1, max_length=200, description="Id van het object."),
        ] = None,
        actor: Annotated[
            str | None,
            Query(
                min_length=1,
                max_length=200,
                description="Sub van een medewerker, of `melder` voor alles van melders.",
            ),
        ] = None,
        vanaf: Annotated[
            Tijdstip | None,
            Query(description="Vanaf dit moment of deze datum (inclusief)."),
        ] = None,
        tot: Annotated[
            Tijdstip | None,
            Query(description="Tot dit moment (exclusief) of tot en met deze datum."),
        ] = None,
    ) -> Auditlog:
        begin = _begin(vanaf) if vanaf is not None else None
        einde = _einde(tot) if tot is not None else None
        if begin is not None and einde is not None and begin >= einde:
            raise BadRequest(
                "Ongeldige periode.",
                invalid_params=[{"name": "tot", "reason": "Ligt niet na vanaf."}],
            )
        filter = AuditFilter(
            object_types=[object_type] if object_type else [],
            object_ids=[object_id] if object_id else [],
            actor=actor,
            vanaf=begin,
            tot=einde,
        )
        state = await verifier.advance(session)
        rows, total = await pagina(session, audit_query(filter), page)
        gebruikt = {
            "objectType": object_type,
            "objectId": object_id,
            "actor": actor,
            "vanaf": vanaf,
            "tot": tot,
        }
        await record_audit(
            session,
            actor=principal.sub,
            action="lezen",
            object_type=AUDITLOG_OBJECT,
            object_id=object_id or "*",
            fields=[AUDITLOG_OBJECT, *(naam for naam, v in gebruikt.items() if v is not None)],
            request_id=request_id(request),
        )
        set_link_header(request, response, page, total)
        return Auditlog(verificatie=ketenverificatie(state), regels=[audit_regel(r) for r in rows])

    return router
