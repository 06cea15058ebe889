"""Claim lifecycle: one test per row of SPEC's table, per lapse rule, and per case SPEC leaves open."""

from __future__ import annotations

import datetime as dt

import pytest

from ondit.track.lifecycle import ReportView, Transition, period_end, period_start, state_at, transitions

D = dt.date.fromisoformat


def rep(
    rid: int,
    day: str,
    certainty: str,
    kind: str = "agency",
    source: str = "Reuters",
    *,
    called_off: bool = False,
    time: str | None = None,
    role: str | None = None,
) -> ReportView:
    return ReportView(rid, D(day), certainty, kind, source, called_off, time, role)


def states(
    reports: list[ReportView], as_of: str = "2030-01-01", grace_days: int = 90
) -> list[tuple[str, str]]:
    return [(t.state, t.date.isoformat()) for t in transitions(reports, D(as_of), grace_days)]


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2024-H1", "2024-01-01", "2024-06-30"),
        ("2024-H2", "2024-07-01", "2024-12-31"),
        ("2021-Q1", "2021-01-01", "2021-03-31"),
        ("2021-Q2", "2021-04-01", "2021-06-30"),
        ("2021-Q4", "2021-10-01", "2021-12-31"),
        ("2021-02", "2021-02-01", "2021-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2021-12", "2021-12-01", "2021-12-31"),
        ("2021-W14", "2021-04-05", "2021-04-11"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2021-03-30", "2021-03-30", "2021-03-30"),
        ("2021-03-29T13:30", "2021-03-29", "2021-03-29"),
    ],
)
def test_period_bounds(value: str, start: str, end: str) -> None:
    assert period_start(value) == D(start)
    assert period_end(value) == D(end)


@pytest.mark.parametrize(
    "value", ["", "P3Y", "PRESENT_REF", "2021-13", "2021-02-30", "2021-W54", "2021-Q5", "21"]
)
def test_period_end_rejects_what_is_not_a_spec_value(value: str) -> None:
    with pytest.raises(ValueError):
        period_end(value)


# ---------------------------------------------------------------- SPEC table rows


def test_possible_on_a_new_claim_is_rumoured() -> None:
    assert states([rep(1, "2021-03-24", "possible", "outlet", "Frandroid")]) == [("rumoured", "2021-03-24")]


def test_probable_from_anonymous_sources_is_rumoured() -> None:
    reports = [rep(1, "2021-03-24", "probable", "anonymous", "trois sources proches du dossier")]
    assert states(reports) == [("rumoured", "2021-03-24")]


@pytest.mark.parametrize("kind", ["agency", "media", "analyst", "outlet", ""])
@pytest.mark.parametrize("certainty", ["certain", "probable"])
def test_certain_or_probable_from_a_reporter_is_reported(kind: str, certainty: str) -> None:
    assert states([rep(1, "2021-03-24", certainty, kind, "X")]) == [("reported", "2021-03-24")]


def test_a_rumour_becomes_reported() -> None:
    reports = [
        rep(1, "2021-03-20", "possible", "anonymous", "rumeurs"),
        rep(2, "2021-03-24", "probable", "agency", "Reuters"),
        rep(3, "2021-03-25", "probable", "media", "Bloomberg"),
    ]
    assert transitions(reports, D("2021-04-01")) == [
        Transition("rumoured", D("2021-03-20"), 1),
        Transition("reported", D("2021-03-24"), 2),
    ]


def test_rumour_denied_by_a_party() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", "anonymous", "sources proches du dossier"),
        rep(2, "2021-03-24", "probable", "agency", "Reuters"),
        rep(3, "2021-03-25", "denied", "party", "Great Wall Motor"),
    ]
    assert transitions(reports, D("2022-01-01")) == [
        Transition("rumoured", D("2021-03-24"), 1),
        Transition("reported", D("2021-03-24"), 2),
        Transition("denied", D("2021-03-25"), 3),
    ]


def test_denied_by_an_official() -> None:
    reports = [rep(1, "2021-03-24", "possible"), rep(2, "2021-03-26", "denied", "official", "Ministère")]
    assert states(reports)[-1] == ("denied", "2021-03-26")


def test_rumour_confirmed_by_a_party() -> None:
    reports = [
        rep(1, "2021-03-24", "possible", "outlet", "Frandroid"),
        rep(2, "2021-03-30", "certain", "party", "Xiaomi"),
    ]
    assert transitions(reports, D("2021-04-01")) == [
        Transition("rumoured", D("2021-03-24"), 1),
        Transition("confirmed", D("2021-03-30"), 2),
    ]


def test_confirmed_by_an_official() -> None:
    reports = [rep(1, "2021-03-24", "probable"), rep(2, "2021-03-30", "certain", "official", "Pékin")]
    assert states(reports) == [("reported", "2021-03-24"), ("confirmed", "2021-03-30")]


def test_certain_with_an_occurred_time_confirms_from_any_source() -> None:
    said_it_happened = rep(
        2, "2024-04-02", "certain", "outlet", "Frandroid", time="2024-03-28", role="occurred"
    )
    reports = [rep(1, "2024-01-10", "probable"), said_it_happened]
    assert states(reports) == [("reported", "2024-01-10"), ("confirmed", "2024-04-02")]


def test_an_occurred_time_period_counts_when_it_starts_by_the_report_day() -> None:
    # "a livré en 2024", published in March 2024: the year has started
    reports = [rep(1, "2024-03-28", "certain", "agency", "AFP", time="2024", role="occurred")]
    assert states(reports) == [("confirmed", "2024-03-28")]


def test_certain_with_an_occurred_time_after_the_report_day_is_only_reported() -> None:
    reports = [rep(1, "2024-03-01", "certain", "agency", "AFP", time="2024-04", role="occurred")]
    assert states(reports) == [("reported", "2024-03-01")]


def test_certain_from_an_agency_with_an_expected_time_is_reported() -> None:
    reports = [rep(1, "2021-03-24", "certain", time="2023", role="expected")]
    assert states(reports, as_of="2023-06-01") == [("reported", "2021-03-24")]


def test_reported_then_party_a_confirms_and_party_b_denies_is_disputed() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", "agency", "Reuters"),
        rep(2, "2021-03-25", "certain", "party", "Xiaomi"),
        rep(3, "2021-03-26", "denied", "party", "Great Wall Motor"),
    ]
    assert transitions(reports, D("2021-04-01")) == [
        Transition("reported", D("2021-03-24"), 1),
        Transition("confirmed", D("2021-03-25"), 2),
        Transition("disputed", D("2021-03-26"), 3),
    ]


def test_denial_then_another_party_confirms_is_disputed() -> None:
    reports = [
        rep(1, "2021-03-25", "denied", "party", "Great Wall Motor"),
        rep(2, "2021-03-26", "certain", "party", "Xiaomi"),
    ]
    assert states(reports) == [("denied", "2021-03-25"), ("disputed", "2021-03-26")]


def test_an_occurrence_after_a_standing_party_denial_is_disputed() -> None:
    reports = [
        rep(1, "2021-03-25", "denied", "party", "Great Wall Motor"),
        rep(2, "2021-06-01", "certain", "agency", "AFP", time="2021-05", role="occurred"),
    ]
    assert states(reports) == [("denied", "2021-03-25"), ("disputed", "2021-06-01")]


def test_a_party_that_confirms_after_denying_retracts_its_denial() -> None:
    reports = [
        rep(1, "2021-03-20", "possible", "outlet", "Frandroid"),
        rep(2, "2021-03-25", "denied", "party", "Xiaomi"),
        rep(3, "2021-03-30", "certain", "party", "xiaomi "),  # same party, spelt with other case and space
    ]
    assert transitions(reports, D("2021-04-01")) == [
        Transition("rumoured", D("2021-03-20"), 1),
        Transition("denied", D("2021-03-25"), 2),
        Transition("confirmed", D("2021-03-30"), 3),
    ]


def test_disputed_until_the_denying_party_retracts() -> None:
    reports = [
        rep(1, "2021-03-25", "denied", "party", "Great Wall Motor"),
        rep(2, "2021-03-26", "certain", "party", "Xiaomi"),
        rep(3, "2021-04-02", "certain", "party", "Great Wall Motor"),
    ]
    assert states(reports) == [
        ("denied", "2021-03-25"),
        ("disputed", "2021-03-26"),
        ("confirmed", "2021-04-02"),
    ]


def test_confirmed_then_called_off_is_abandoned() -> None:
    reports = [
        rep(1, "2019-01-10", "probable", "agency", "Reuters"),
        rep(2, "2019-05-27", "certain", "party", "Fiat Chrysler"),
        rep(3, "2019-06-06", "denied", "party", "Fiat Chrysler", called_off=True),
    ]
    assert transitions(reports, D("2019-12-31")) == [
        Transition("reported", D("2019-01-10"), 1),
        Transition("confirmed", D("2019-05-27"), 2),
        Transition("abandoned", D("2019-06-06"), 3),
    ]


def test_called_off_by_the_other_party_is_abandoned_too() -> None:
    reports = [
        rep(1, "2019-05-27", "certain", "party", "Fiat Chrysler"),
        rep(2, "2019-06-06", "denied", "party", "Renault", called_off=True),
    ]
    assert states(reports) == [("confirmed", "2019-05-27"), ("abandoned", "2019-06-06")]


def test_called_off_before_any_confirmation_is_abandoned() -> None:
    reports = [
        rep(1, "2021-03-24", "possible", "anonymous", "rumeurs"),
        rep(2, "2021-04-10", "denied", "party", "Xiaomi", called_off=True),
    ]
    assert states(reports) == [("rumoured", "2021-03-24"), ("abandoned", "2021-04-10")]


def test_a_confirmed_claim_denied_by_the_party_that_confirmed_it_is_abandoned() -> None:
    reports = [
        rep(1, "2021-03-24", "certain", "party", "Xiaomi"),
        rep(2, "2021-09-01", "denied", "party", "Xiaomi"),
    ]
    assert states(reports) == [("confirmed", "2021-03-24"), ("abandoned", "2021-09-01")]


def test_a_confirmed_claim_denied_by_a_party_when_no_other_party_confirmed_it_is_abandoned() -> None:
    # confirmed by an occurrence report (an outlet), then a party's denial: SPEC row 1
    reports = [
        rep(1, "2021-03-24", "certain", "outlet", "Frandroid", time="2021-03-23", role="occurred"),
        rep(2, "2021-03-25", "denied", "party", "Xiaomi"),
    ]
    assert states(reports) == [("confirmed", "2021-03-24"), ("abandoned", "2021-03-25")]


def test_a_disputed_claim_denied_by_its_only_confirmer_is_abandoned() -> None:
    reports = [
        rep(1, "2021-03-25", "certain", "party", "Xiaomi"),
        rep(2, "2021-03-26", "denied", "party", "Great Wall Motor"),
        rep(3, "2021-03-27", "denied", "party", "Xiaomi"),
    ]
    assert states(reports) == [
        ("confirmed", "2021-03-25"),
        ("disputed", "2021-03-26"),
        ("abandoned", "2021-03-27"),
    ]


@pytest.mark.parametrize("certainty", ["doubtful", "uncommitted"])
@pytest.mark.parametrize("kind", ["party", "official", "agency", "anonymous", "outlet"])
def test_doubtful_and_uncommitted_change_nothing(certainty: str, kind: str) -> None:
    assert states([rep(1, "2021-03-24", certainty, kind, "Great Wall Motor")]) == []
    reports = [rep(1, "2021-03-24", "possible"), rep(2, "2021-03-25", certainty, kind, "Great Wall Motor")]
    assert states(reports) == [("rumoured", "2021-03-24")]
    reports = [rep(1, "2021-03-24", "certain", "party", "Xiaomi"), rep(2, "2021-03-25", certainty, kind, "X")]
    assert states(reports) == [("confirmed", "2021-03-24")]


# ---------------------------------------------------------------- what no row lists (documented)


@pytest.mark.parametrize("kind", ["agency", "media", "analyst", "anonymous", "outlet", ""])
def test_a_denial_that_is_not_a_party_s_or_an_official_s_moves_nothing(kind: str) -> None:
    assert states([rep(1, "2021-03-24", "denied", kind, "Reuters")]) == []
    reports = [rep(1, "2021-03-24", "possible"), rep(2, "2021-03-25", "denied", kind, "Reuters")]
    assert states(reports) == [("rumoured", "2021-03-24")]
    called_off = [
        rep(1, "2021-03-24", "certain", "party", "Xiaomi"),
        rep(2, "2021-03-25", "denied", kind, "Reuters", called_off=True),
    ]
    assert states(called_off) == [("confirmed", "2021-03-24")]


def test_possible_or_anonymous_probable_on_a_claim_with_a_state_changes_nothing() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", "agency", "Reuters"),
        rep(2, "2021-03-25", "possible", "outlet", "Frandroid"),
        rep(3, "2021-03-26", "probable", "anonymous", "des sources"),
    ]
    assert states(reports) == [("reported", "2021-03-24")]


def test_reporters_do_not_move_a_confirmed_denied_disputed_or_abandoned_claim() -> None:
    for first in (
        [rep(1, "2021-03-24", "certain", "party", "Xiaomi")],
        [rep(1, "2021-03-24", "denied", "party", "Xiaomi")],
        [rep(1, "2021-03-24", "certain", "party", "A"), rep(2, "2021-03-24", "denied", "party", "B")],
        [rep(1, "2021-03-24", "denied", "party", "A", called_off=True)],
    ):
        before = states(first)
        after = states(
            [*first, rep(9, "2021-03-30", "probable"), rep(10, "2021-03-31", "certain", "media", "M")]
        )
        assert after == before


def test_probable_from_a_party_and_certain_from_anonymous_sources_move_nothing() -> None:
    assert states([rep(1, "2021-03-24", "probable", "party", "Xiaomi")]) == []
    assert states([rep(1, "2021-03-24", "certain", "anonymous", "un proche")]) == []


def test_an_official_s_standing_denial_does_not_dispute_a_party_s_confirmation() -> None:
    # SPEC: "disputed if a *party* denied it before and has not retracted"
    reports = [
        rep(1, "2021-03-24", "denied", "official", "Ministère"),
        rep(2, "2021-03-30", "certain", "party", "Xiaomi"),
    ]
    assert states(reports) == [("denied", "2021-03-24"), ("confirmed", "2021-03-30")]


def test_but_an_official_s_confirmation_makes_a_party_s_denial_disputed() -> None:
    reports = [
        rep(1, "2021-03-24", "certain", "official", "Ministère"),
        rep(2, "2021-03-30", "denied", "party", "Xiaomi"),
    ]
    assert states(reports) == [("confirmed", "2021-03-24"), ("disputed", "2021-03-30")]


# ---------------------------------------------------------------- order, as_of


def test_reports_are_replayed_in_date_order_ties_in_the_given_order() -> None:
    a = rep(1, "2021-03-25", "denied", "party", "Great Wall Motor")
    b = rep(2, "2021-03-24", "possible", "outlet", "Frandroid")
    c = rep(3, "2021-03-25", "certain", "party", "Xiaomi")
    assert states([a, b, c]) == [
        ("rumoured", "2021-03-24"),
        ("denied", "2021-03-25"),
        ("disputed", "2021-03-25"),
    ]
    assert states([c, b, a]) == [
        ("rumoured", "2021-03-24"),
        ("confirmed", "2021-03-25"),
        ("disputed", "2021-03-25"),
    ]


def test_as_of_between_reports() -> None:
    reports = [
        rep(1, "2021-03-24", "possible", "anonymous", "rumeurs"),
        rep(2, "2021-03-26", "probable", "agency", "Reuters"),
        rep(3, "2021-04-02", "denied", "party", "Great Wall Motor"),
    ]
    assert state_at(reports, D("2021-03-23")) is None
    assert transitions(reports, D("2021-03-23")) == []
    assert state_at(reports, D("2021-03-24")) == "rumoured"
    assert state_at(reports, D("2021-03-25")) == "rumoured"
    assert state_at(reports, D("2021-03-26")) == "reported"
    assert state_at(reports, D("2021-04-01")) == "reported"
    assert transitions(reports, D("2021-04-01")) == [
        Transition("rumoured", D("2021-03-24"), 1),
        Transition("reported", D("2021-03-26"), 2),
    ]
    assert state_at(reports, D("2021-04-02")) == "denied"


def test_no_reports_no_state() -> None:
    assert transitions([], D("2021-01-01")) == []
    assert state_at([], D("2021-01-01")) is None


def test_as_of_none_evaluates_the_lapse_today() -> None:
    reports = [rep(1, "2000-01-10", "probable", time="2001", role="expected")]
    assert transitions(reports) == [
        Transition("reported", D("2000-01-10"), 1),
        Transition("lapsed", D("2002-03-31"), None),
    ]
    assert state_at(reports) == "lapsed"


# ---------------------------------------------------------------- lapse


def mi_car() -> list[ReportView]:
    return [
        rep(1, "2021-03-24", "probable", "agency", "Reuters", time="2023", role="expected"),
        rep(2, "2021-03-30", "certain", "party", "Xiaomi", time="2023", role="expected"),
        rep(3, "2024-04-02", "certain", "outlet", "Frandroid", time="2024-03-28", role="occurred"),
    ]


def test_an_expected_launch_lapses_90_days_after_the_end_of_its_period_then_happens() -> None:
    assert transitions(mi_car(), D("2025-01-01")) == [
        Transition("reported", D("2021-03-24"), 1),
        Transition("confirmed", D("2021-03-30"), 2),
        Transition("lapsed", D("2024-03-30"), None),
        Transition("confirmed", D("2024-04-02"), 3),
    ]
    assert state_at(mi_car(), D("2023-12-31")) == "confirmed"
    assert state_at(mi_car(), D("2024-03-29")) == "confirmed"
    assert state_at(mi_car(), D("2024-03-30")) == "lapsed"
    assert state_at(mi_car(), D("2024-04-01")) == "lapsed"
    assert state_at(mi_car(), D("2024-04-02")) == "confirmed"


def test_the_grace_period_is_configurable() -> None:
    assert state_at(mi_car(), D("2023-12-31"), grace_days=0) == "lapsed"
    assert state_at(mi_car(), D("2023-12-30"), grace_days=0) == "confirmed"
    assert transitions(mi_car(), D("2024-12-31"), grace_days=10)[2] == Transition(
        "lapsed", D("2024-01-10"), None
    )


def test_a_slipped_date_replaces_the_old_one() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2023", role="expected"),
        rep(2, "2023-11-02", "probable", "media", "Bloomberg", time="2024-H1", role="expected"),
    ]
    assert state_at(reports, D("2024-03-30")) == "reported"
    assert transitions(reports, D("2025-01-01"))[-1] == Transition("lapsed", D("2024-09-28"), None)


def test_a_date_reported_earlier_than_before_replaces_it_too() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2024", role="expected"),
        rep(2, "2021-06-01", "probable", time="2022-Q1", role="expected"),
    ]
    assert transitions(reports, D("2025-01-01"))[-1] == Transition("lapsed", D("2022-06-29"), None)


def test_an_occurrence_before_the_deadline_prevents_the_lapse() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2021-Q2", role="expected"),
        rep(2, "2021-05-10", "certain", "outlet", "Frandroid", time="2021-05-10", role="occurred"),
    ]
    assert state_at(reports, D("2030-01-01")) == "confirmed"


def test_a_claim_without_an_expected_time_never_lapses() -> None:
    reports = [rep(1, "2021-03-24", "possible", time="2020", role="occurred")]
    assert state_at(reports, D("2030-01-01")) == "rumoured"


def test_an_unresolved_expected_time_is_ignored() -> None:
    reports = [rep(1, "2021-03-24", "possible", time="FUTURE_REF", role="expected")]
    assert state_at(reports, D("2030-01-01")) == "rumoured"


@pytest.mark.parametrize("start", ["possible", "probable"])
def test_rumoured_and_reported_claims_lapse(start: str) -> None:
    reports = [rep(1, "2021-03-24", start, "outlet", "Frandroid", time="2021-W14", role="expected")]
    # Sunday 2021-04-11 + 90 days
    assert transitions(reports, D("2022-01-01"))[-1] == Transition("lapsed", D("2021-07-10"), None)


def test_disputed_claims_lapse() -> None:
    reports = [
        rep(1, "2021-03-25", "certain", "party", "A", time="2021-12", role="expected"),
        rep(2, "2021-03-26", "denied", "party", "B"),
    ]
    assert states(reports, as_of="2022-12-31") == [
        ("confirmed", "2021-03-25"),
        ("disputed", "2021-03-26"),
        ("lapsed", "2022-03-31"),
    ]


def test_denied_and_abandoned_claims_do_not_lapse() -> None:
    denied = [
        rep(1, "2021-03-24", "probable", time="2021", role="expected"),
        rep(2, "2021-03-25", "denied", "party", "Great Wall Motor"),
    ]
    assert state_at(denied, D("2030-01-01")) == "denied"
    abandoned = [
        rep(1, "2021-03-24", "certain", "party", "A", time="2021-Q4", role="expected"),
        rep(2, "2021-11-02", "denied", "party", "A", called_off=True),
    ]
    assert state_at(abandoned, D("2030-01-01")) == "abandoned"


def test_a_lapsed_claim_denied_by_a_party_is_denied() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2021", role="expected"),
        rep(2, "2022-06-01", "denied", "party", "Xiaomi"),
    ]
    assert states(reports) == [("reported", "2021-03-24"), ("lapsed", "2022-03-31"), ("denied", "2022-06-01")]


def test_reports_that_do_not_say_it_occurred_leave_a_lapsed_claim_lapsed() -> None:
    reports = [
        rep(1, "2021-03-20", "possible", "anonymous", "rumeurs", time="2021", role="expected"),
        rep(2, "2022-06-01", "probable", "agency", "Reuters"),
        rep(3, "2022-06-02", "doubtful", "analyst", "Alan Kang"),
    ]
    assert states(reports) == [("rumoured", "2021-03-20"), ("lapsed", "2022-03-31")]


def test_a_party_confirmation_after_the_lapse_confirms_it_again() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2021", role="expected"),
        rep(2, "2022-06-01", "certain", "party", "Xiaomi"),
    ]
    assert states(reports) == [
        ("reported", "2021-03-24"),
        ("lapsed", "2022-03-31"),
        ("confirmed", "2022-06-01"),
    ]


def test_a_new_expected_time_after_the_lapse_revives_the_claim_and_can_lapse_again() -> None:
    reports = [
        rep(1, "2021-03-24", "probable", time="2021", role="expected"),
        rep(2, "2022-06-01", "certain", "party", "Xiaomi", time="2023", role="expected"),
    ]
    assert states(reports) == [
        ("reported", "2021-03-24"),
        ("lapsed", "2022-03-31"),
        ("confirmed", "2022-06-01"),
        ("lapsed", "2024-03-30"),
    ]


def test_a_report_bringing_a_deadline_already_past_lapses_on_its_day() -> None:
    reports = [rep(7, "2024-06-01", "possible", "outlet", "Frandroid", time="2023", role="expected")]
    assert transitions(reports, D("2024-12-31")) == [
        Transition("rumoured", D("2024-06-01"), 7),
        Transition("lapsed", D("2024-06-01"), None),
    ]


def test_an_occurrence_on_the_deadline_day_prevents_the_lapse() -> None:
    reports = [
        rep(1, "2023-01-10", "probable", time="2023", role="expected"),
        rep(2, "2024-03-30", "certain", "agency", "AFP", time="2024-03-29", role="occurred"),
    ]
    assert states(reports) == [("reported", "2023-01-10"), ("confirmed", "2024-03-30")]
