"""Behaviour of model classes: the generated classes in ``entities`` inherit from these.

A field or type names its class here with ``methods=`` in ``schema``; keep them small and pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .entities import Source


class PlaceText:
    """A place reads as its parts joined, largest first: 贵州省毕节市赫章县."""

    province: str
    city: str
    county: str

    def __str__(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


class OneSource:
    """A type citing one report answers ``sources`` like those citing several (a case)."""

    source: Source

    @property
    def sources(self) -> tuple[Source, ...]:
        return (self.source,)
