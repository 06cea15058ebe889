"""Source track record: who a claim is credited to, outcomes, reliability with its counts."""

from __future__ import annotations

import pytest

from ondit.track.record import SourceLink, TrackRecord, credited_source, outcome, track_records

FRANDROID = SourceLink("Frandroid", "outlet")
GNT = SourceLink("Generation NT", "outlet")
REUTERS = SourceLink("Reuters", "agency")
BLOOMBERG = SourceLink("Bloomberg", "media")
XIAOMI = SourceLink("Xiaomi", "party")
GWM = SourceLink("Great Wall Motor", "party")
PROCHES = SourceLink("trois sources proches du dossier", "anonymous")


# ---------------------------------------------------------------- crediting


def test_the_innermost_link_is_credited() -> None:
    assert credited_source([FRANDROID, REUTERS]) == ("Reuters", "agency")
    assert credited_source([FRANDROID, BLOOMBERG]) == ("Bloomberg", "media")
    assert credited_source([FRANDROID]) == ("Frandroid", "outlet")


def test_party_links_are_skipped() -> None:
    assert credited_source([GNT, REUTERS, XIAOMI]) == ("Reuters", "agency")
    assert credited_source([FRANDROID, XIAOMI]) == ("Frandroid", "outlet")


def test_a_first_report_with_only_party_links_credits_nobody() -> None:
    assert credited_source([XIAOMI]) is None
    assert credited_source([GWM, XIAOMI]) is None
    assert credited_source([]) is None


def test_anonymous_sources_via_an_agency() -> None:
    assert credited_source([GNT, REUTERS, PROCHES]) == ("anonymous via Reuters", "anonymous")


def test_anonymous_sources_via_the_outlet() -> None:
    assert credited_source([FRANDROID, PROCHES]) == ("anonymous via Frandroid", "anonymous")
    assert credited_source([GNT, PROCHES]) == ("anonymous via Generation NT", "anonymous")


def test_anonymous_sources_quoted_by_a_party_are_skipped_with_the_party_then_credited_inside_out() -> None:
    # the innermost non-party link is the anonymous one; its nearest named link is the party
    insider = SourceLink("un proche de la direction", "anonymous")
    assert credited_source([FRANDROID, XIAOMI, insider]) == ("anonymous via Xiaomi", "anonymous")
    # a party quoted by anonymous sources: the party is skipped, the anonymous link is credited
    assert credited_source([FRANDROID, PROCHES, XIAOMI]) == ("anonymous via Frandroid", "anonymous")


def test_nested_anonymous_links_are_credited_via_the_nearest_named_link() -> None:
    other = SourceLink("des rumeurs", "anonymous")
    assert credited_source([FRANDROID, REUTERS, other, PROCHES]) == ("anonymous via Reuters", "anonymous")


def test_anonymous_sources_with_no_named_link() -> None:
    assert credited_source([PROCHES]) == ("anonymous", "anonymous")


def test_whom_a_speaker_speaks_for_is_shown() -> None:
    kang = SourceLink("Alan Kang", "analyst", of="LMC Automotive")
    assert credited_source([FRANDROID, kang]) == ("Alan Kang (LMC Automotive)", "analyst")
    assert credited_source(
        [FRANDROID, SourceLink("un analyste de Jefferies", "analyst", of="Jefferies")]
    ) == (
        "un analyste de Jefferies",
        "analyst",
    )


def test_an_empty_kind_is_the_outlet_voice() -> None:
    assert credited_source([SourceLink("Frandroid", "")]) == ("Frandroid", "outlet")


# ---------------------------------------------------------------- outcomes


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("confirmed", "right"),
        ("abandoned", "right"),
        ("denied", "wrong"),
        ("lapsed", "wrong"),
        ("rumoured", "open"),
        ("reported", "open"),
        ("disputed", "open"),
        (None, "open"),
    ],
)
def test_outcome(state: str | None, expected: str) -> None:
    assert outcome(state) == expected


def test_outcome_rejects_what_is_not_a_state() -> None:
    with pytest.raises(ValueError):
        outcome("Confirmed ")


# ---------------------------------------------------------------- records


def test_two_right_one_wrong_is_0_6_with_its_counts() -> None:
    items = [
        ([FRANDROID, REUTERS], "confirmed"),
        ([GNT, REUTERS, XIAOMI], "abandoned"),
        ([FRANDROID, REUTERS], "lapsed"),
    ]
    assert track_records(items) == [TrackRecord("Reuters", "agency", 3, 2, 1, 0, 0.6)]


def test_open_claims_are_counted_but_do_not_move_reliability() -> None:
    items = [
        ([FRANDROID, BLOOMBERG], "denied"),
        ([FRANDROID, BLOOMBERG], "rumoured"),
        ([FRANDROID, BLOOMBERG], "disputed"),
        ([FRANDROID, BLOOMBERG], None),
    ]
    [record] = track_records(items)
    assert (record.claims, record.right, record.wrong, record.open) == (4, 0, 1, 3)
    assert record.reliability == pytest.approx(1 / 3)


def test_a_source_with_only_open_claims_scores_one_half() -> None:
    [record] = track_records([([FRANDROID], "reported")])
    assert record == TrackRecord("Frandroid", "outlet", 1, 0, 0, 1, 0.5)


def test_anonymous_sources_are_one_source_per_outlet_and_party_only_claims_are_left_out() -> None:
    items = [
        ([FRANDROID, PROCHES], "denied"),
        ([FRANDROID, PROCHES], "denied"),
        ([GNT, PROCHES], "confirmed"),
        ([GNT, REUTERS, PROCHES], "confirmed"),
        ([XIAOMI], "confirmed"),
    ]
    assert track_records(items) == [
        TrackRecord("anonymous via Frandroid", "anonymous", 2, 0, 2, 0, 0.25),
        TrackRecord("anonymous via Generation NT", "anonymous", 1, 1, 0, 0, 2 / 3),
        TrackRecord("anonymous via Reuters", "anonymous", 1, 1, 0, 0, 2 / 3),
    ]


def test_records_are_sorted_by_claims_then_name() -> None:
    items = [
        ([GNT], "confirmed"),
        ([FRANDROID, BLOOMBERG], "confirmed"),
        ([FRANDROID, REUTERS], "confirmed"),
        ([FRANDROID, REUTERS], "denied"),
        ([FRANDROID], "confirmed"),
    ]
    assert [(r.source, r.claims) for r in track_records(items)] == [
        ("Reuters", 2),
        ("Bloomberg", 1),
        ("Frandroid", 1),
        ("Generation NT", 1),
    ]


def test_no_claims_no_records() -> None:
    assert track_records([]) == []
