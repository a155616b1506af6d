"""The rules a deliberation's figures obey, in one pure function (documents and forms alike).

- present + proxies − members not voting = voters;
- for + against + abstentions = voters;
- quorum: more than half of the members in office present (proxies do not count), except
  on a second convocation (CGCT L2121-17: the council then deliberates validly whatever the
  attendance);
- a member holds at most one proxy, held by a member who is present;
- a present member cannot give a proxy;
- the lists of names, when known, agree with the announced figures.
"""

from collections import Counter
from dataclasses import dataclass

from .enums import Attendance


@dataclass(frozen=True)
class Member:
    name: str
    attendance: str
    proxy_holder: str = ""
    not_voting: bool = False


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def deliberation_problems(
    *,
    members_in_office: int | None,
    present_count: int | None,
    voters: int | None,
    votes_for: int | None,
    votes_against: int | None = 0,
    abstentions: int | None = 0,
    members: list[Member] = (),
    quorum_required: bool = True,
) -> list[str]:
    """Every rule the figures break, as French sentences (an empty list when all is well)."""
    problems: list[str] = []
    members = list(members)
    present = [m for m in members if m.attendance == Attendance.PRESENT]
    proxies = [m for m in members if m.attendance == Attendance.PROXY]
    not_voting = sum(1 for m in members if m.not_voting)

    if members_in_office is not None and present_count is not None:
        if present_count > members_in_office:
            problems.append(
                f"{present_count} présents pour {members_in_office} conseillers en exercice."
            )
        elif quorum_required and present_count * 2 <= members_in_office:
            problems.append(
                f"Quorum non atteint : {present_count} présents sur {members_in_office} "
                f"conseillers en exercice (il en faut plus de la moitié, soit "
                f"{members_in_office // 2 + 1} ; les procurations ne comptent pas)."
            )
    if voters is not None and votes_for is not None:
        cast = votes_for + (votes_against or 0) + (abstentions or 0)
        if cast != voters:
            problems.append(
                f"{votes_for} pour + {votes_against or 0} contre + {abstentions or 0} "
                f"abstentions = {cast}, mais {voters} votants."
            )
    if members:
        if present_count is not None and len(present) != present_count:
            problems.append(f"{present_count} présents annoncés, {len(present)} noms de présents.")
        if voters is not None and len(present) + len(proxies) - not_voting != voters:
            detail = f" − {not_voting} ne prenant pas part au vote" if not_voting else ""
            problems.append(
                f"{len(present)} présents + {len(proxies)} procurations{detail} = "
                f"{len(present) + len(proxies) - not_voting}, mais {voters} votants."
            )
        if members_in_office is not None and len(members) > members_in_office:
            problems.append(
                f"{len(members)} membres nommés pour {members_in_office} conseillers en exercice."
            )
        present_keys = {_key(m.name) for m in present}
        for giver in proxies:
            if not giver.proxy_holder:
                problems.append(f"Procuration de {giver.name} : le mandataire n'est pas indiqué.")
            elif _key(giver.proxy_holder) not in present_keys:
                problems.append(
                    f"Procuration de {giver.name} à {giver.proxy_holder}, qui n'est pas présent."
                )
            if _key(giver.name) in present_keys:
                problems.append(f"{giver.name} est présent et ne peut pas donner procuration.")
        held = Counter(_key(m.proxy_holder) for m in proxies if m.proxy_holder)
        names = {_key(m.proxy_holder): m.proxy_holder for m in proxies if m.proxy_holder}
        problems.extend(
            f"{names[k]} détient {n} procurations (une seule autorisée)."
            for k, n in held.items()
            if n > 1
        )
    return problems


def problems_of(deliberation) -> list[str]:
    """The rules a saved deliberation breaks, from its figures and its members."""
    return deliberation_problems(
        members_in_office=deliberation.members_in_office,
        present_count=deliberation.present_count,
        voters=deliberation.voters,
        votes_for=deliberation.votes_for,
        votes_against=deliberation.votes_against,
        abstentions=deliberation.abstentions,
        members=[
            Member(m.name, m.attendance, m.proxy_holder, m.not_voting)
            for m in deliberation.members.all()
        ],
        quorum_required=not deliberation.second_convocation,
    )
