"""The claim lifecycle of SPEC.md ("Claim lifecycle (across articles)"), as a pure function.

A claim's reports are read in date order (ties keep the order given) and each
one may move the claim's state; the innermost source and the certainty of the
report decide, exactly as SPEC's table says:

- ``denied`` from a party or official, flagged ``called_off`` → ``abandoned``;
- ``denied`` from a party or official, when *another* party or official
  confirmed it (and has not since denied it) → ``disputed``;
- ``denied`` from a party or official, on a claim that was ``confirmed`` →
  ``abandoned``;
- ``denied`` from a party or official, otherwise → ``denied``;
- ``certain`` from a party or official, or ``certain`` with an ``occurred``
  time at or before the report's date from any source → ``confirmed``
  (``disputed`` if a party denied it before and has not retracted);
- ``certain`` or ``probable`` from an agency, media, analyst or the outlet's
  own voice (kind ``""``), on a claim not yet confirmed or denied →
  ``reported``;
- ``possible``, or ``probable`` from anonymous sources, on a claim with no
  state yet → ``rumoured``;
- ``doubtful`` or ``uncommitted`` → no change (the caller keeps and shows them).

On top of that state, at any date, a claim whose latest ``expected`` time plus
the grace period (``grace_days`` after the *end* of that period) is reached,
with no report that it occurred, is ``lapsed``; a later report that it occurred
makes it ``confirmed`` again.

Cases SPEC leaves open, decided here (and tested in ``tests/test_lifecycle.py``):

- **Only the rows above move the state.** A ``denied`` report whose innermost
  source is an agency, media, analyst, anonymous source or the outlet's own
  voice changes nothing (SPEC: a denial is the *party's*); neither does a
  ``called_off`` flag on such a report, a ``probable`` report from a party or
  official, nor a ``certain`` report from anonymous sources without an
  ``occurred`` time. Such reports are kept and shown by the caller.
- **"Not yet confirmed or denied"** means the state is none, ``rumoured`` or
  ``reported``: an agency's report does not move a ``disputed``,
  ``abandoned`` or ``denied`` claim.
- **Which party.** Parties and officials are told apart by their source name,
  compared after ``casefold()`` and whitespace folding (pass resolved names).
  Each one's *stance* is its latest ``certain`` (confirms) or ``denied``
  (denies) report. A later ``certain``
  report by a party that denied retracts its denial; a later denial by a
  party that confirmed withdraws its confirmation.
- **Denial precedence.** ``called_off`` first (a deal one side calls off is
  off: ``abandoned``); then ``disputed`` when another party or official's
  confirmation stands (so "A confirms, then B denies" is ``disputed``, as the
  issue asks, although the claim was ``confirmed``); then ``abandoned`` when
  the claim was ``confirmed`` or the denier itself had confirmed it (it backs
  out); otherwise ``denied``.
- **Disputed confirmations** follow SPEC to the letter: only a standing
  denial by a *party* (not an official) makes a confirmation ``disputed``.
  A called-off report is a denial too, until the same party confirms again.
- **Occurred.** A report "that it occurred" is a ``certain`` report whose
  time has role ``occurred`` and a value whose period *starts* at or before
  the report's day ("a livré en 2024", published in March 2024); an
  unresolved (``None``) or unparseable value is not one. After the lapse
  deadline, a ``certain`` report from a party or official that does not give
  a new ``expected`` time also counts as one (the party says it happened).
  Once a claim has a report that it occurred, it never lapses.
- **Latest expected time** is the ``expected`` time of the most recent report
  that carries a parseable one (whatever its certainty), so a slipped date
  replaces the old one, and one pulled forward too.
- **Lapse timing.** The claim is ``lapsed`` from ``period_end(expected) +
  grace_days`` on (that day included); the transition is dated that day and
  has no report. When a report brings a deadline that is already past (or
  revives a claim whose deadline is past), the lapse is dated that report's
  day, right after the report's own transition.
- **What lapses.** ``rumoured``, ``reported``, ``confirmed`` and ``disputed``
  claims lapse; ``denied`` and ``abandoned`` ones do not (a party already
  closed them, and ``abandoned`` counts as right in the track record), and a
  claim with no state yet has nothing to lapse. While lapsed, reports still
  move the underlying state, but the state shown stays ``lapsed`` until a
  report that it occurred, a new expected time whose deadline is not reached,
  or a move to a state that cannot lapse (a party's denial: ``denied``).
- **as_of.** Reports dated after ``as_of`` are ignored and the lapse is
  evaluated at ``as_of``. With ``as_of=None`` every report counts and the lapse
  is evaluated at ``datetime.date.today()`` (or the last report's day if that
  is later): pass ``as_of`` for a reproducible answer.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "STATES",
    "ReportView",
    "Transition",
    "period_end",
    "period_start",
    "state_at",
    "transitions",
]

STATES = ("rumoured", "reported", "confirmed", "denied", "disputed", "abandoned", "lapsed")

_AUTHORITIES = frozenset({"party", "official"})
_REPORTERS = frozenset({"agency", "media", "analyst", "outlet"})
_CAN_LAPSE = frozenset({"rumoured", "reported", "confirmed", "disputed"})
_NOT_YET_CONFIRMED_OR_DENIED: frozenset[str | None] = frozenset({None, "rumoured", "reported"})


@dataclass(frozen=True)
class ReportView:
    """What the lifecycle needs of one report of a claim."""

    id: int | str
    date: datetime.date  # the article's publication day
    certainty: str  # certain, probable, possible, doubtful, denied, uncommitted
    kind: str  # innermost source kind; "" = the outlet's own voice (no chain)
    source: str  # innermost source name (tells WHICH party or official spoke)
    called_off: bool = False
    time_value: str | None = None  # SPEC time value: 2023, 2024-H1, 2021-Q1, 2021-03, 2021-W14, …
    time_role: str | None = None  # occurred | expected


@dataclass(frozen=True)
class Transition:
    """The claim entered ``state`` on ``date`` because of ``report`` (``None`` for a lapse)."""

    state: str
    date: datetime.date
    report: int | str | None


# ------------------------------------------------------------------ periods

_PERIOD_RE = re.compile(
    r"^(?P<y>\d{4})"
    r"(?:-H(?P<h>[12])"
    r"|-Q(?P<q>[1-4])"
    r"|-W(?P<w>\d{2})(?:-WE)?"
    r"|-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?:\d{2}:\d{2}|[A-Z]{2}))?)?"
    r")?$"
)


def _bounds(time_value: str) -> tuple[datetime.date, datetime.date]:
    m = _PERIOD_RE.match(time_value.strip())
    if not m:
        raise ValueError(f"not a SPEC time value: {time_value!r}")
    year = int(m["y"])
    try:
        if m["h"]:
            half = int(m["h"])
            return datetime.date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
        if m["q"]:
            quarter = int(m["q"])
            return datetime.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if m["w"]:
            monday = datetime.date.fromisocalendar(year, int(m["w"]), 1)
            return monday, monday + datetime.timedelta(days=6)
        if m["d"]:
            day = datetime.date(year, int(m["m"]), int(m["d"]))
            return day, day
        if m["m"]:
            month = int(m["m"])
            return datetime.date(year, month, 1), _month_end(year, month)
    except ValueError as exc:
        raise ValueError(f"not a SPEC time value: {time_value!r}") from exc
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_end(time_value: str) -> datetime.date:
    """The last day of the period a SPEC time value names.

    ``2023`` → 2023-12-31, ``2024-H1`` → 2024-06-30, ``2021-Q1`` → 2021-03-31,
    ``2021-02`` → 2021-02-28, ``2021-W14`` → that ISO week's Sunday (2021-04-11),
    ``2021-03-30`` and ``2021-03-29T13:30`` → that day. TIMEX refinements of
    those shapes are accepted too (``2021-W14-WE``, ``2021-03-29TMO``).
    Raises ``ValueError`` for anything else (durations, references, ``None``-like text).
    """
    return _bounds(time_value)[1]


def period_start(time_value: str) -> datetime.date:
    """The first day of the period a SPEC time value names (``2024-H2`` → 2024-07-01)."""
    return _bounds(time_value)[0]


def _try_bounds(time_value: str | None) -> tuple[datetime.date, datetime.date] | None:
    if not time_value:
        return None
    try:
        return _bounds(time_value)
    except ValueError:
        return None


# ------------------------------------------------------------------ the machine


def _name(source: str) -> str:
    return " ".join(source.split()).casefold()


class _Claim:
    """The running state of one claim while its reports are replayed."""

    def __init__(self, grace_days: int) -> None:
        self.grace = datetime.timedelta(days=grace_days)
        self.base: str | None = None  # the state the table gives, without the lapse
        self.shown: str | None = None  # the state last emitted
        self.stances: dict[str, tuple[str, str]] = {}  # name -> (kind, "confirm" | "deny")
        self.deadline: datetime.date | None = None  # period_end(latest expected) + grace
        self.occurred = False
        self.last_day: datetime.date | None = None
        self.out: list[Transition] = []

    # -- lapse

    def lapse_holds(self, day: datetime.date) -> bool:
        return (
            self.base in _CAN_LAPSE
            and not self.occurred
            and self.deadline is not None
            and self.deadline <= day
        )

    def check_lapse(self, day: datetime.date) -> None:
        if self.shown != "lapsed" and self.lapse_holds(day):
            assert self.deadline is not None
            when = self.deadline if self.last_day is None else max(self.deadline, self.last_day)
            self._emit("lapsed", when, None)

    # -- reports

    def apply(self, r: ReportView) -> None:
        kind = r.kind or "outlet"
        was_lapsed = self.shown == "lapsed"
        past_deadline = self.deadline is not None and r.date >= self.deadline
        bounds = _try_bounds(r.time_value)
        expected = bounds is not None and r.time_role == "expected"
        occurred_time = bounds is not None and r.time_role == "occurred" and bounds[0] <= r.date

        if r.certainty == "certain" and (
            occurred_time or (kind in _AUTHORITIES and past_deadline and not expected)
        ):
            self.occurred = True
        if expected:
            assert bounds is not None
            self.deadline = bounds[1] + self.grace
        self.base = self._table(r, kind, occurred_time)
        self.last_day = r.date

        if was_lapsed and self.lapse_holds(r.date):
            return  # the underlying state may have moved; the claim still shows as lapsed
        if self.base != self.shown and self.base is not None:
            self._emit(self.base, r.date, r.id)

    def _table(self, r: ReportView, kind: str, occurred_time: bool) -> str | None:
        base = self.base
        who = _name(r.source)
        if r.certainty == "denied":
            if kind not in _AUTHORITIES:
                return base
            own = self.stances.get(who)
            others_confirm = any(
                name != who and stance == "confirm" for name, (_, stance) in self.stances.items()
            )
            self.stances[who] = (kind, "deny")
            if r.called_off:
                return "abandoned"
            if others_confirm:
                return "disputed"
            if base == "confirmed" or (own is not None and own[1] == "confirm"):
                return "abandoned"
            return "denied"
        if r.certainty == "certain" and (kind in _AUTHORITIES or occurred_time):
            if kind in _AUTHORITIES:
                self.stances[who] = (kind, "confirm")
            party_denies = any(k == "party" and s == "deny" for k, s in self.stances.values())
            return "disputed" if party_denies else "confirmed"
        if r.certainty in ("certain", "probable") and kind in _REPORTERS:
            return "reported" if base in _NOT_YET_CONFIRMED_OR_DENIED else base
        if r.certainty == "possible" or (r.certainty == "probable" and kind == "anonymous"):
            return "rumoured" if base is None else base
        return base  # doubtful, uncommitted, and the cases no row lists

    def _emit(self, state: str, day: datetime.date, report: int | str | None) -> None:
        self.out.append(Transition(state, day, report))
        self.shown = state


def transitions(
    reports: Sequence[ReportView],
    as_of: datetime.date | None = None,
    grace_days: int = 90,
) -> list[Transition]:
    """Every state change of one claim, in date order, up to ``as_of``.

    ``reports`` are the claim's reports in any order: they are replayed by
    date, ties in the order given. Only changes are returned (a report that
    leaves the state as it was adds nothing). See the module docstring for the
    rules and the cases SPEC leaves open; with ``as_of=None`` the lapse is
    evaluated at today's date.
    """
    ordered = sorted(enumerate(reports), key=lambda pair: (pair[1].date, pair[0]))
    views = [r for _, r in ordered]
    if as_of is not None:
        views = [r for r in views if r.date <= as_of]
        horizon = as_of
    else:
        horizon = max([datetime.date.today(), *(r.date for r in views)])
    claim = _Claim(grace_days)
    for r in views:
        claim.check_lapse(r.date - datetime.timedelta(days=1))
        claim.apply(r)
        claim.check_lapse(r.date)
    claim.check_lapse(horizon)
    return claim.out


def state_at(
    reports: Sequence[ReportView],
    as_of: datetime.date | None = None,
    grace_days: int = 90,
) -> str | None:
    """The claim's state on ``as_of`` (``None`` when no report has moved it yet)."""
    changes = transitions(reports, as_of, grace_days)
    return changes[-1].state if changes else None
