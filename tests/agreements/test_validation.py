"""The rules of a deliberation's figures (quorum, proxies, votes)."""

from relais.agreements.validation import Member, deliberation_problems

PRESENT = [Member(f"Présent {i}", "present") for i in range(51)]
PROXIES = [
    Member("Michel LLANAS", "proxy", "Présent 0"),
    Member("Anne LAUBIES", "proxy", "Présent 1"),
    Member("Agnès ANCEAU-MORER", "proxy", "Présent 2"),
    Member("Laurent CHARCOS", "proxy", "Présent 3"),
]
EXCUSED = [Member(f"Excusé {i}", "excused") for i in range(16)]
SEED = {
    "members_in_office": 71,
    "present_count": 51,
    "voters": 55,
    "votes_for": 55,
    "votes_against": 0,
    "abstentions": 0,
    "members": PRESENT + PROXIES + EXCUSED,
}


def test_the_seed_figures_validate():
    assert deliberation_problems(**SEED) == []


def test_votes_must_add_up_to_voters():
    problems = deliberation_problems(**{**SEED, "votes_for": 50, "votes_against": 2})
    assert problems == ["50 pour + 2 contre + 0 abstentions = 52, mais 55 votants."]


def test_present_plus_proxies_must_equal_voters_unless_some_do_not_vote():
    problems = deliberation_problems(**{**SEED, "voters": 54, "votes_for": 54})
    assert problems == ["51 présents + 4 procurations = 55, mais 54 votants."]
    members = [Member("Présent 50", "present", not_voting=True), *PRESENT[:50], *PROXIES]
    assert (
        deliberation_problems(**{**SEED, "voters": 54, "votes_for": 54, "members": members}) == []
    )


def test_quorum_is_more_than_half_present_and_proxies_do_not_count():
    problems = deliberation_problems(
        members_in_office=71, present_count=35, voters=45, votes_for=45
    )
    assert problems == [
        "Quorum non atteint : 35 présents sur 71 conseillers en exercice (il en faut plus de "
        "la moitié, soit 36 ; les procurations ne comptent pas)."
    ]
    assert deliberation_problems(members_in_office=70, present_count=35, voters=35, votes_for=35)[
        0
    ].startswith("Quorum non atteint")
    assert (
        deliberation_problems(members_in_office=71, present_count=36, voters=36, votes_for=36) == []
    )


def test_a_member_holds_at_most_one_proxy():
    proxies = [*PROXIES[:3], Member("Laurent CHARCOS", "proxy", "Présent 0")]
    problems = deliberation_problems(**{**SEED, "members": PRESENT + proxies + EXCUSED})
    assert problems == ["Présent 0 détient 2 procurations (une seule autorisée)."]


def test_a_present_member_cannot_give_a_proxy_and_the_holder_must_be_present():
    members = [
        *PRESENT,
        Member("Présent 5", "proxy", "Présent 6"),
        *PROXIES[:3],
        Member("Laurent CHARCOS", "proxy", "Absent X"),
    ]
    problems = deliberation_problems(**{**SEED, "voters": 56, "votes_for": 56, "members": members})
    assert "Présent 5 est présent et ne peut pas donner procuration." in problems
    assert "Procuration de Laurent CHARCOS à Absent X, qui n'est pas présent." in problems
