"""Notifications as data: a row written with the change or deadline that causes it, mailed
at least once by a sender in the service's lifespan (ARCHITECTURE.md, "Notifications").

- `plan` writes a row in the caller's transaction (like the outbox): a kind (`soort`), the
  recipient's address (encrypted; decrypted only at send time), the case reference, the
  moment to send and the due date the mail names. A `sleutel` makes it once-only: one
  reminder per case and kind, one notice per message.
- `annuleer` cancels what is still planned for a case: a step taken in time cancels its
  reminder. `wijzig_ontvanger` sends what is still planned to someone else (a case handed
  over).
- `NotificatieVerzender` sends what is due over SMTP (aiosmtplib). It claims rows with a
  lease (so replicas and a restart do not send the same row at once), sends, then marks
  them sent; a failed send is retried with back-off; a crash between send and mark sends
  again after the lease, under the same `Message-ID`, so a receiving system can see the
  repeat for what it is.
- No case content in any mail: the reference, the kind, the due date and a link base from
  the settings (`Sjabloon`); never an omschrijving, a category or a name.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib
import structlog
from sqlalchemy import BigInteger, Integer, String, Text, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.bewaartermijnen import Bewaarregel
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.db.base import Base, utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.kalender import AMSTERDAM, amsterdam_date
from integriteit_shared.settings import ServiceSettings
from integriteit_shared.tasks import stop_task

_log = structlog.get_logger("notificaties")

GEPLAND = "gepland"
VERZONDEN = "verzonden"
GEANNULEERD = "geannuleerd"
# how long a claimed row is left alone before another sender may take it (a sender that
# died mid-send); well above an SMTP exchange's timeout
LEASE = timedelta(seconds=120)
SMTP_TIMEOUT_S = 30.0


class Notificatie(Base):
    __tablename__ = "notificatie"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    # once-only: one reminder per case and kind, one notice per message
    sleutel: Mapped[str] = mapped_column(String(200), unique=True)
    soort: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    referentie: Mapped[str] = mapped_column(String(50))
    ontvanger: Mapped[str] = mapped_column(Text)  # the address, encrypted (aad: the sleutel)
    moment: Mapped[datetime] = mapped_column(index=True)
    termijn: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default=GEPLAND)
    pogingen: Mapped[int] = mapped_column(default=0)
    volgende_poging: Mapped[datetime | None] = mapped_column(default=None)
    message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verzonden_op: Mapped[datetime | None] = mapped_column(default=None)


@dataclass(frozen=True)
class Sjabloon:
    """A kind of mail: subject and body with `{referentie}`, `{termijn}` and `{link}` only."""

    onderwerp: str
    tekst: str

    def vul(self, *, referentie: str, termijn: date | None, link: str) -> tuple[str, str]:
        velden = {
            "referentie": referentie,
            "termijn": termijn.strftime("%d-%m-%Y") if termijn else "",
            "link": link,
        }
        return self.onderwerp.format(**velden), self.tekst.format(**velden)


def _aad(sleutel: str) -> str:
    return f"notificatie.ontvanger:{sleutel}"


async def plan(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    sleutel: str,
    soort: str,
    object_id: str,
    referentie: str,
    ontvanger: str,
    moment: datetime,
    termijn: date | None = None,
    afzender_domein: str = "integriteit.invalid",
) -> None:
    """Plan a mail in the caller's transaction; a second plan with the same `sleutel`
    changes nothing (the first one stands), except that a cancelled one is planned again."""
    values = {
        "sleutel": sleutel,
        "soort": soort,
        "object_id": object_id,
        "referentie": referentie,
        "ontvanger": cipher.encrypt(ontvanger, aad=_aad(sleutel)),
        "moment": moment,
        "termijn": termijn,
        "status": GEPLAND,
        "pogingen": 0,
        "message_id": f"<{uuid.uuid4().hex}@{afzender_domein}>",
        "created_at": utcnow(),
    }
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert_fn: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert_fn(Notificatie)
        .values(values)
        # planned again after a cancel (the same deadline back in force): active again;
        # one already sent stays sent
        .on_conflict_do_update(
            index_elements=["sleutel"],
            set_={"status": GEPLAND},
            where=Notificatie.status == GEANNULEERD,
        )
    )


async def annuleer(session: AsyncSession, *, object_id: str, soorten: Iterable[str]) -> int:
    """Cancel what is still planned for `object_id` of these kinds; returns how many."""
    result: Any = await session.execute(
        update(Notificatie)
        .where(
            Notificatie.object_id == object_id,
            Notificatie.soort.in_(list(soorten)),
            Notificatie.status == GEPLAND,
        )
        .values(status=GEANNULEERD)
    )
    return int(result.rowcount or 0)


async def wijzig_ontvanger(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    object_ids: Iterable[str],
    soorten: Iterable[str],
    ontvanger: str,
) -> int:
    """Send what is still planned for these objects and kinds to `ontvanger` instead (a
    case handed to another behandelaar); returns how many."""
    rows = list(
        await session.scalars(
            select(Notificatie)
            .where(
                Notificatie.object_id.in_(list(object_ids)),
                Notificatie.soort.in_(list(soorten)),
                Notificatie.status == GEPLAND,
            )
            .with_for_update()
        )
    )
    for row in rows:
        row.ontvanger = cipher.encrypt(ontvanger, aad=_aad(row.sleutel))
    return len(rows)


# An `ontvanger` starting with this is a reference the service resolves at send time
# (its `Adresboek`), e.g. "ref:melder:<melding id>": the address is not copied here.
REFERENTIE = "ref:"
# (database, cipher, reference without the prefix) -> the address, or None
Adresboek = Callable[[Database, FieldCipher, str], Awaitable["str | None"]]
# (database, planner, now): plan what deadlines have made due, before each round
Planning = Callable[[Database, "Planner", datetime], Awaitable[None]]

# the local hour at which a reminder goes out on its day
HERINNERING_UUR = 8
# a reminder whose moment lies further back than this is not planned: a deadline long
# past (history loaded afterwards, a long outage) belongs on an overdue list, not in mail
HERINNERING_VENSTER = timedelta(days=7)


def ochtend(dag: date) -> datetime:
    """08:00 in the Netherlands on `dag`, as an aware moment."""
    return datetime.combine(dag, time(HERINNERING_UUR), tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class Planner:
    """What a service needs to plan its mail: the cipher for addresses and the settings
    (team addresses, sender domain). One per app (`PlannerDep`)."""

    cipher: FieldCipher
    settings: ServiceSettings

    def team(self, defensieonderdeel: str) -> str:
        """The team address for an onderdeel (setting `teamadressen`, else `teamadres`)."""
        return self.settings.teamadressen.get(defensieonderdeel, self.settings.teamadres)

    async def termijn(
        self,
        session: AsyncSession,
        *,
        object_id: str,
        referentie: str,
        ontvanger: str,
        termijn: date,
        bijna: str,
        dagen_vooraf: int,
        verlopen: str,
    ) -> None:
        """The reminders of one deadline: `dagen_vooraf` days before it (`bijna`; left out
        when the deadline has passed already) and the morning after it (`verlopen`).
        Replaces what was planned for an earlier deadline of the same kinds; one mail per
        case, kind and deadline. A deadline more than `HERINNERING_VENSTER` past gets none."""
        await annuleer(session, object_id=object_id, soorten=[bijna, verlopen])
        if termijn >= amsterdam_date(utcnow()):
            await self._plan(
                session,
                object_id,
                referentie,
                ontvanger,
                bijna,
                termijn,
                ochtend(termijn - timedelta(days=dagen_vooraf)),
            )
        verlopen_op = ochtend(termijn + timedelta(days=1))
        if utcnow() - verlopen_op <= HERINNERING_VENSTER:
            await self._plan(
                session, object_id, referentie, ontvanger, verlopen, termijn, verlopen_op
            )

    async def na(
        self,
        session: AsyncSession,
        *,
        object_id: str,
        referentie: str,
        ontvanger: str,
        soort: str,
        moment: datetime,
        termijn: date | None = None,
    ) -> None:
        """One mail of `soort` at `moment` (once per case and kind)."""
        await self._plan(session, object_id, referentie, ontvanger, soort, termijn, moment)

    async def _plan(
        self,
        session: AsyncSession,
        object_id: str,
        referentie: str,
        ontvanger: str,
        soort: str,
        termijn: date | None,
        moment: datetime,
    ) -> None:
        await plan(
            session,
            self.cipher,
            sleutel=f"{object_id}:{soort}:{termijn.isoformat() if termijn else '-'}",
            soort=soort,
            object_id=object_id,
            referentie=referentie,
            ontvanger=ontvanger,
            moment=moment,
            termijn=termijn,
            afzender_domein=self.settings.smtp_from.rpartition("@")[2] or "integriteit.invalid",
        )


def terugval(pogingen: int) -> timedelta:
    """The wait after the n-th failed attempt: 30 s, 1 min, 2 min, ... up to an hour."""
    return timedelta(seconds=min(30 * 2 ** max(pogingen - 1, 0), 3600))


@dataclass(frozen=True)
class _Claim:
    id: int
    sleutel: str
    soort: str
    referentie: str
    ontvanger: str
    termijn: date | None
    message_id: str
    pogingen: int


class NotificatieVerzender:
    """Sends the due notifications of one service; `verstuur_rijp` is one pass (tests drive
    it with their own clock), `start` runs it every `notificatie_interval_s`."""

    def __init__(
        self,
        db: Database,
        settings: ServiceSettings,
        cipher: FieldCipher,
        sjablonen: Mapping[str, Sjabloon],
        *,
        clock: Callable[[], datetime] = utcnow,
        planning: Planning | None = None,
        adresboek: Adresboek | None = None,
    ) -> None:
        self.database = db
        self.settings = settings
        self.cipher = cipher
        self.sjablonen = sjablonen
        self.clock = clock
        self.planning = planning
        self.adresboek = adresboek
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notificaties")

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.verstuur_rijp()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: try again next round
                _log.warning("notificaties_unavailable", error=type(exc).__name__)
            await asyncio.sleep(self.settings.notificatie_interval_s)

    async def verstuur_rijp(self, limit: int = 50) -> int:
        """Plan what deadlines have made due (`planning`), then send what is due now;
        returns how many were sent."""
        if self.planning is not None:
            await self.planning(self.database, Planner(self.cipher, self.settings), self.clock())
        sent = 0
        for claim in await self._claim(limit):
            if await self._send(claim):
                sent += 1
        return sent

    async def _claim(self, limit: int) -> list[_Claim]:
        now = self.clock()
        async with self.database.transaction() as session:
            rows = (
                await session.execute(
                    select(Notificatie)
                    .where(
                        Notificatie.status == GEPLAND,
                        Notificatie.moment <= now,
                        (Notificatie.volgende_poging.is_(None))
                        | (Notificatie.volgende_poging <= now),
                    )
                    .order_by(Notificatie.moment, Notificatie.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).scalars()
            claims = []
            for row in rows:
                row.volgende_poging = now + LEASE  # ours while we send
                claims.append(
                    _Claim(
                        row.id,
                        row.sleutel,
                        row.soort,
                        row.referentie,
                        row.ontvanger,
                        row.termijn,
                        row.message_id,
                        row.pogingen,
                    )
                )
        return claims

    async def _adres(self, claim: _Claim) -> str | None:
        """The recipient's address: as planned, or looked up now for a reference (a
        melder's address is decrypted only here, at send time); None if it is gone."""
        ontvanger = self.cipher.decrypt(claim.ontvanger, aad=_aad(claim.sleutel))
        if not ontvanger.startswith(REFERENTIE):
            return ontvanger
        if self.adresboek is None:
            return None
        return await self.adresboek(self.database, self.cipher, ontvanger.removeprefix(REFERENTIE))

    def _message(self, claim: _Claim, adres: str) -> EmailMessage:
        sjabloon = self.sjablonen[claim.soort]
        onderwerp, tekst = sjabloon.vul(
            referentie=claim.referentie, termijn=claim.termijn, link=self.settings.mail_link_base
        )
        msg = EmailMessage()
        msg["From"] = self.settings.smtp_from
        msg["To"] = adres
        msg["Subject"] = onderwerp
        msg["Date"] = format_datetime(self.clock())
        msg["Message-ID"] = claim.message_id
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
        msg.set_content(tekst)
        return msg

    async def _send(self, claim: _Claim) -> bool:
        s = self.settings
        adres = await self._adres(claim)
        if adres is None:  # nobody to send it to (any more): it is not sent
            async with self.database.transaction() as session:
                await session.execute(
                    update(Notificatie).where(Notificatie.id == claim.id).values(status=GEANNULEERD)
                )
            return False
        try:
            await aiosmtplib.send(
                self._message(claim, adres),
                hostname=s.smtp_host,
                port=s.smtp_port,
                start_tls=s.smtp_starttls,
                username=s.smtp_user,
                password=s.smtp_password,
                timeout=SMTP_TIMEOUT_S,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            pogingen = claim.pogingen + 1
            _log.warning(
                "notificatie_niet_verzonden",
                id=claim.id,
                soort=claim.soort,
                poging=pogingen,
                error=type(exc).__name__,
            )
            async with self.database.transaction() as session:
                await session.execute(
                    update(Notificatie)
                    .where(Notificatie.id == claim.id)
                    .values(pogingen=pogingen, volgende_poging=self.clock() + terugval(pogingen))
                )
            return False
        async with self.database.transaction() as session:
            await session.execute(
                update(Notificatie)
                .where(Notificatie.id == claim.id)
                .values(status=VERZONDEN, verzonden_op=self.clock())
            )
        _log.info("notificatie_verzonden", id=claim.id, soort=claim.soort)
        return True


__all__ = [
    "GEANNULEERD",
    "GEPLAND",
    "VERZONDEN",
    "Adresboek",
    "Notificatie",
    "NotificatieVerzender",
    "Planner",
    "Planning",
    "Sjabloon",
    "annuleer",
    "plan",
    "terugval",
    "wijzig_ontvanger",
]


# --- retention of the addresses ------------------------------------------------------------

VERNIETIGD_ADRES = "[vernietigd]"


async def _verstuurde_adressen(session: AsyncSession, grens: date, limit: int) -> list[str]:
    """Notifications sent or cancelled before `grens` whose address is still there."""
    voor = datetime.combine(grens, time(), tzinfo=AMSTERDAM).astimezone(UTC)
    query = (
        select(Notificatie.id)
        .where(
            Notificatie.status.in_((VERZONDEN, GEANNULEERD)),
            func.coalesce(Notificatie.verzonden_op, Notificatie.moment) < voor,
            Notificatie.ontvanger != VERNIETIGD_ADRES,
        )
        .order_by(Notificatie.id)
        .limit(limit)
    )
    return [str(i) for i in (await session.scalars(query)).all()]


async def _adres_vernietigen(session: AsyncSession, notificatie_id: str) -> None:
    await session.execute(
        update(Notificatie)
        .where(Notificatie.id == int(notificatie_id))
        .values(ontvanger=VERNIETIGD_ADRES)
    )


MAILADRESSEN = Bewaarregel(
    soort="mailadressen",
    eindtoestand="verzonden of geannuleerd",
    instelling="bewaartermijn_mailadressen_dagen",
    object_type="notificatie",
    velden=("ontvanger",),
    kandidaten=_verstuurde_adressen,
    vernietig=_adres_vernietigen,
)
"""The address of a mail sent or cancelled is not needed once delivered: each service that
sends mail lists this rule with its own (`BEWAARREGELS`)."""
