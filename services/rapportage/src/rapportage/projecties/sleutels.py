"""Counter keys: a frozen dataclass per kind of counter, encoded and parsed here only.

A key is stored as text, its kind then its parts, joined by `SCHEIDING`
(`hrhd|2024|CLSK`). Each kind is a subclass of `Sleutel` naming its parts as typed fields,
declared with `@sleutel` (which makes it a frozen dataclass and registers its prefix);
the aggregate modules build them (`HrhdMelding(jaar=2024, defensieonderdeel="CLSK")`) and
`rapportage.jaarverslag.indicatoren` reads them back by field name (`sleutel.jaar`). A part
is an `int` or a `str`, or either or None (not (yet) known: `-`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import ClassVar, ParamSpec, TypeVar

from typing_extensions import dataclass_transform

SCHEIDING = "|"
OPEN = "-"  # a part that is None: not (yet) known

Deel = int | str | None
Lezer = Callable[[str], Deel]

P = ParamSpec("P")
S = TypeVar("S", bound="Sleutel")

_TEKSTEN: dict[tuple[object, ...], str] = {}
"""Encoded keys by (kind, parts): a projection encodes the same few keys over and over."""
_TEKSTEN_MAX = (
    100_000  # distinct keys are few (years, onderdelen, codes, days); a bound all the same
)


def _tekst(waarde: Deel) -> str:
    return OPEN if waarde is None else str(waarde)


def _int_of_open(tekst: str) -> int | None:
    return None if tekst == OPEN else int(tekst)


def _str_of_open(tekst: str) -> str | None:
    return None if tekst == OPEN else tekst


def _lezer(soort: object) -> Lezer:
    """How one part is read back, from its annotation."""
    if soort is int:
        return int
    if soort is str:
        return str
    if isinstance(soort, types.UnionType):
        args = set(typing.get_args(soort))
        if args == {int, type(None)}:
            return _int_of_open
        if args == {str, type(None)}:
            return _str_of_open
    raise TypeError(f"sleuteldeel van type {soort!r}: alleen int, str, int | None of str | None")


@dataclasses.dataclass(frozen=True, slots=True)
class Sleutel:
    """A counter key. Subclasses set `prefix` (stored first) and declare the parts."""

    prefix: ClassVar[str]
    # counted because a term ran out in its year, not because something was registered
    # then: such a key alone does not make its year one the dashboard opens on
    door_tijd: ClassVar[bool] = False
    _namen: ClassVar[tuple[str, ...]] = ()

    def encode(self) -> str:
        return SCHEIDING.join([self.prefix, *[_tekst(getattr(self, n)) for n in self._namen]])

    @classmethod
    def tekst(cls: Callable[P, S], *args: P.args, **kwargs: P.kwargs) -> str:
        """`cls(*args).encode()`, remembered: what the projections call per aggregate.

        Typed as the kind's constructor, so its parts are checked as there; remembered by
        the parts' values (an int part given a bool would share the int's text: none is).
        """
        if kwargs:
            return cls(*args, **kwargs).encode()
        k = (cls, *args)
        tekst = _TEKSTEN.get(k)
        if tekst is None:
            if len(_TEKSTEN) >= _TEKSTEN_MAX:
                _TEKSTEN.clear()
            tekst = _TEKSTEN[k] = cls(*args, **kwargs).encode()
        return tekst


@dataclasses.dataclass(frozen=True, slots=True)
class JaarSleutel(Sleutel):
    """A key whose first part is the year it counts in."""

    jaar: int


@dataclasses.dataclass(frozen=True, slots=True)
class DagenSleutel(JaarSleutel):
    """A duration: something that ended in the year after `dagen` days."""

    dagen: int


@dataclasses.dataclass(frozen=True, slots=True)
class OnderdeelSleutel(JaarSleutel):
    """Something of the year at a defensieonderdeel (further parts after it)."""

    defensieonderdeel: str


class Sleutels:
    """The key kinds by their prefix, and the one parser of stored keys."""

    # `registreer` adds a key kind (through `@sleutel`, the class decorator of each);
    # `parse` is what the report reads stored keys back with

    def __init__(self) -> None:
        self.soorten: dict[str, type[Sleutel]] = {}
        self._lezers: dict[str, tuple[Callable[..., Sleutel], list[Lezer]]] = {}

    def registreer(self, cls: type[S]) -> type[S]:
        """Add a key kind (a class decorator); a prefix is given to one kind only."""
        if cls.prefix in self.soorten:
            raise ValueError(f"sleutelsoort {cls.prefix!r} twee keer gedefinieerd")
        hints = typing.get_type_hints(cls)
        velden = dataclasses.fields(cls)
        cls._namen = tuple(f.name for f in velden)
        self.soorten[cls.prefix] = cls
        self._lezers[cls.prefix] = (cls, [_lezer(hints[f.name]) for f in velden])
        return cls

    def parse(self, prefix: str, delen: list[str]) -> Sleutel | None:
        """The key of a stored text's parts (after its prefix); None for an unknown kind."""
        gevonden = self._lezers.get(prefix)
        if gevonden is None or len(gevonden[1]) != len(delen):
            return None
        maak, lezers = gevonden
        return maak(*[lees(d) for lees, d in zip(lezers, delen, strict=True)])


SLEUTELS = Sleutels()


@dataclass_transform(frozen_default=True)
def sleutel(cls: type[S]) -> type[S]:
    """The class decorator of every key kind: a frozen dataclass with slots, registered."""
    return SLEUTELS.registreer(dataclasses.dataclass(frozen=True, slots=True)(cls))
