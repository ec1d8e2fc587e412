"""The registry every aggregate module fills: its event handlers, fact kinds and state.

An aggregate module (`projecties.melding`, `projecties.klacht`, ...) declares:

- its fact kinds: typed `NamedTuple`s (`Feit`), each stored in one fact table
  (`projecties.models`), registered with `Soort`, the aggregate kind they belong to;
- the handlers of its event types (`@handler(ev.MeldingOntvangen)`), giving the facts an
  event establishes;
- its state (`Toestand`): fed the aggregate's facts in registration order, it gives the
  aggregate's contribution to the counters (`Bijdrage`, encoded `projecties.sleutels` keys)
  as of a peildatum.

`projecties.feiten` imports every aggregate module, so that the registry is complete once
it is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar, Generic, Protocol, TypeVar, cast

from integriteit_shared.db.base import Base
from integriteit_shared.events import EventData

E = TypeVar("E", bound=EventData)

Bijdrage = dict[str, int]
"""An aggregate's contribution as of one day: encoded counter key -> amount."""

Tijdlijn = dict[tuple[date, str], int]
"""Changes of the counters per day: (day, encoded counter key) -> delta."""


class Feit(Protocol):
    """A fact row: a `NamedTuple` with the columns of its table (without `id`)."""

    @property
    def event_id(self) -> str: ...

    @property
    def registered_at(self) -> datetime: ...

    def __iter__(self) -> Iterator[object]: ...


class Toestand:
    """The state of one aggregate, fed its facts in registration order (`voeg_toe`).

    `bijdrage` is its contribution as of a peildatum; a kind whose contribution changes on
    a deadline without a new fact (`peilafhankelijk`) names those days in `wijzigdagen`.
    """

    __slots__ = ()
    peilafhankelijk: ClassVar[bool] = False

    def voeg_toe(self, feit: Feit) -> None:
        raise NotImplementedError

    def bijdrage(self, peil: date) -> Bijdrage:
        raise NotImplementedError

    def wijzigdagen(self) -> Iterable[date]:
        return ()


class Stapfeit(Feit, Protocol):
    """A fact that an aggregate took a step (`stap`) on a day (`datum`)."""

    @property
    def stap(self) -> str: ...

    @property
    def datum(self) -> date: ...


F = TypeVar("F", bound=Stapfeit)


class StartEnEinde(Toestand, Generic[F]):
    """An aggregate of steps of one fact class, from its first start to its latest end.

    A fact of step `start_stap` is the start unless an earlier one is (in registration
    order); a fact of any other step is the end, the latest replacing the one before.
    """

    __slots__ = ("eind", "feitklasse", "start")
    start_stap: ClassVar[str]

    def __init__(self, feitklasse: type[F]) -> None:
        self.feitklasse = feitklasse
        self.start: F | None = None
        self.eind: F | None = None

    def voeg_toe(self, feit: Feit) -> None:
        if isinstance(feit, self.feitklasse):
            if feit.stap == self.start_stap:
                if self.start is None:
                    self.start = feit
            else:
                self.eind = feit


@dataclass(frozen=True)
class Bron:
    """A fact kind of an aggregate kind: its class, its table, the aggregate id's column.

    One table may hold facts of two kinds (`rap_categoriseringen`), told apart by the value
    of its `bron` column.
    """

    feit: Callable[..., Feit]  # the NamedTuple class
    model: type[Base]
    kolom: str
    bron: str | None = None
    velden: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Soort:
    """An aggregate kind: the fact kinds it is made of and its state."""

    naam: str
    bronnen: tuple[Bron, ...]
    nieuwe_toestand: Callable[[], Toestand]
    # a kind whose every fact is an aggregate of its own (a training record): nothing of it
    # is stored before its fact arrives
    eigen_aggregaat: bool = False


def _velden(feit: Callable[..., Feit]) -> tuple[str, ...]:
    velden = getattr(feit, "_fields", None)
    if not isinstance(velden, tuple):
        raise TypeError(f"{feit!r}: een feit is een NamedTuple")
    return tuple(str(v) for v in velden)


class Register:
    """Every aggregate kind, fact kind and event handler."""

    def __init__(self) -> None:
        self.soorten: dict[str, Soort] = {}
        # fact class -> (aggregate kind, its source in that kind)
        self.feitsoorten: dict[type, tuple[Soort, Bron]] = {}
        self.bronnen_per_naam: dict[str, Bron] = {}
        # fact class -> (aggregate kind's name, the aggregate id's column)
        self._aggregaat_van: dict[type, tuple[str, str]] = {}
        self.handlers: dict[type[EventData], Callable[[EventData, str, datetime], list[Feit]]] = {}

    def soort(
        self,
        naam: str,
        bronnen: Sequence[Bron],
        nieuwe_toestand: Callable[[], Toestand],
        *,
        eigen_aggregaat: bool = False,
    ) -> Soort:
        """Register an aggregate kind; every fact class's fields must be its table's columns."""
        if naam in self.soorten:
            raise ValueError(f"aggregaatsoort {naam!r} twee keer gedefinieerd")
        volledig = []
        for b in bronnen:
            velden = _velden(b.feit)
            kolommen = tuple(c.key for c in b.model.__table__.columns if c.key != "id")
            if set(velden) != set(kolommen):
                raise TypeError(f"{b.feit!r}: velden {velden} ≠ kolommen {kolommen}")
            volledig.append(Bron(b.feit, b.model, b.kolom, b.bron, velden))
        s = Soort(naam, tuple(volledig), nieuwe_toestand, eigen_aggregaat)
        self.soorten[naam] = s
        for b in s.bronnen:
            if not isinstance(b.feit, type) or b.feit in self.feitsoorten:
                raise TypeError(f"{b.feit!r}: een feitklasse hoort bij één aggregaatsoort")
            self.feitsoorten[b.feit] = (s, b)
            self.bronnen_per_naam[b.feit.__name__] = b
            self._aggregaat_van[b.feit] = (s.naam, b.kolom)
        return s

    def handler(
        self, *event_types: type[E]
    ) -> Callable[
        [Callable[[E, str, datetime], list[Feit]]], Callable[[E, str, datetime], list[Feit]]
    ]:
        """Register the function giving the facts of these event types (a decorator)."""

        def registreer(
            fn: Callable[[E, str, datetime], list[Feit]],
        ) -> Callable[[E, str, datetime], list[Feit]]:
            for t in event_types:
                if t in self.handlers:
                    raise ValueError(f"{t.event_type}: twee handlers")
                # called only with events of the types it is registered for
                self.handlers[t] = cast(Callable[[EventData, str, datetime], list[Feit]], fn)
            return fn

        return registreer

    def geen_feiten(self, *event_types: type[EventData]) -> None:
        """These event types establish no facts: no indicator uses them."""
        self.handler(*event_types)(_geen_feiten)

    def aggregaat(self, feit: Feit) -> tuple[str, str]:
        """(aggregate kind, aggregate id) of a fact."""
        naam, kolom = self._aggregaat_van[type(feit)]
        return naam, str(getattr(feit, kolom))


def _geen_feiten(event: EventData, event_id: str, registered_at: datetime) -> list[Feit]:
    return []


REGISTER = Register()
handler = REGISTER.handler
