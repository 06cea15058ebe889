"""The source track record of SPEC.md ("Source track record"), as pure functions.

A claim is credited to the innermost link of its *first* report's source
chain that is not a party; anonymous sources are credited as "anonymous via"
their nearest named link, so "trois sources proches du dossier" quoted by
Reuters and those quoted by Frandroid's own reporters are two sources
("anonymous via Reuters", "anonymous via Frandroid"). Outcomes: ``confirmed``
and ``abandoned`` (it was real) are right, ``denied`` and ``lapsed`` wrong,
the rest open. Reliability is ``(right + 1) / (right + wrong + 2)``, always
shown with its counts.

Cases SPEC leaves open, decided here (and tested in ``tests/test_track_record.py``):

- **Nearest named link** is the nearest link *outside* the anonymous one
  that is not itself anonymous (usually the link right outside it: an
  agency, or the outlet when its own reporters quote the sources); a party
  counts as named ("anonymous via Xiaomi" for an unnamed Xiaomi insider).
  With no named link outside (outlet unknown), the credit is plain
  ``"anonymous"``.
- **Display names.** A named link is shown by its name, followed by whom it
  speaks for when the link says so (``"Alan Kang (LMC Automotive)"``).
  A link with kind ``""`` is the outlet's voice (kind ``outlet``).
- **Nobody to credit.** A first report whose chain is empty or holds only
  party links credits nobody: :func:`credited_source` returns ``None`` and
  :func:`track_records` leaves that claim out.
- **One source** is one (display name, kind) pair, names compared as written:
  pass resolved names. Records are sorted by claims (most first), then by
  name (case-insensitive), then kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SourceLink", "TrackRecord", "credited_source", "outcome", "track_records"]

_RIGHT = frozenset({"confirmed", "abandoned"})
_WRONG = frozenset({"denied", "lapsed"})
_OPEN = frozenset({"rumoured", "reported", "disputed"})


@dataclass(frozen=True)
class SourceLink:
    """One link of a report's source chain (SPEC "Sources"), outermost first in a chain."""

    name: str
    kind: str  # outlet, agency, media, party, official, analyst, anonymous ("" = outlet)
    of: str | None = None  # whom the speaker speaks for, if the text says


@dataclass(frozen=True)
class TrackRecord:
    """What became of the claims a source reported first."""

    source: str
    kind: str
    claims: int
    right: int
    wrong: int
    open: int
    reliability: float  # (right + 1) / (right + wrong + 2)


def _display(link: SourceLink) -> str:
    name = " ".join(link.name.split())
    if link.of and link.of.casefold() not in name.casefold():
        return f"{name} ({link.of})"
    return name


def credited_source(first_report_chain: Sequence[SourceLink]) -> tuple[str, str] | None:
    """``(display name, kind)`` of the source a claim is credited to, from its first report's chain.

    The chain is outermost first (the outlet first when known). Returns ``None``
    when the chain is empty or has only party links.
    """
    chain = list(first_report_chain)
    for i in range(len(chain) - 1, -1, -1):
        link = chain[i]
        kind = link.kind or "outlet"
        if kind == "party":
            continue
        if kind != "anonymous":
            return _display(link), kind
        for outer in reversed(chain[:i]):
            if (outer.kind or "outlet") != "anonymous":
                return f"anonymous via {_display(outer)}", "anonymous"
        return "anonymous", "anonymous"
    return None


def outcome(state: str | None) -> str:
    """``"right"`` (confirmed, abandoned), ``"wrong"`` (denied, lapsed), else ``"open"`` (and for ``None``).

    Raises ``ValueError`` for a string that is not a lifecycle state.
    """
    if state in _RIGHT:
        return "right"
    if state in _WRONG:
        return "wrong"
    if state is None or state in _OPEN:
        return "open"
    raise ValueError(f"not a claim state: {state!r}")


def track_records(items: Iterable[tuple[Sequence[SourceLink], str | None]]) -> list[TrackRecord]:
    """One record per credited source, from ``(first report's chain, current state)`` per claim.

    Claims that credit nobody (see :func:`credited_source`) are left out.
    Sorted by number of claims (most first), then name, then kind.
    """
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for chain, state in items:
        credit = credited_source(chain)
        if credit is None:
            continue
        tally = counts.setdefault(credit, {"right": 0, "wrong": 0, "open": 0})
        tally[outcome(state)] += 1
    records = [
        TrackRecord(
            source=name,
            kind=kind,
            claims=t["right"] + t["wrong"] + t["open"],
            right=t["right"],
            wrong=t["wrong"],
            open=t["open"],
            reliability=(t["right"] + 1) / (t["right"] + t["wrong"] + 2),
        )
        for (name, kind), t in counts.items()
    ]
    records.sort(key=lambda r: (-r.claims, r.source.casefold(), r.source, r.kind))
    return records
