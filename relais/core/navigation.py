"""The main navigation, by role. One place decides which sections a role sees.

On a 360 px phone only a role's main destinations fit one row (issue 17): ``PRIMARY`` names
them, three per role, and the base layout puts the rest behind a "Menu" button (a
``<details>``, so that it opens without JavaScript). The dashboard is the brand's link.
"""

from dataclasses import dataclass

from django.urls import reverse

from .enums import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_STAFF = frozenset(Role.values)
DEPARTMENT_STAFF = frozenset({Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR})

NAV_ITEMS = (
    NavItem("Tableau de bord", "dashboards:home", ALL_STAFF),
    NavItem("Lieux", "places:list", ALL_STAFF),
    NavItem("Équipe", "team:list", DEPARTMENT_STAFF),
    NavItem("Planning", "planning:slot_list", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    NavItem("Ma semaine", "planning:my_week", frozenset({Role.ADVISOR})),
    NavItem("Mon agenda", "public:my_agenda", frozenset({Role.ADVISOR})),
    NavItem("Fermetures", "planning:closure_list", frozenset({Role.PARTNER_STAFF})),
    # Partner staff read their places' programme (seat counts only, no names).
    NavItem("Ateliers", "workshops:session_list", DEPARTMENT_STAFF | {Role.PARTNER_STAFF}),
    NavItem("Rendez-vous", "appointments:places", DEPARTMENT_STAFF),
    NavItem(
        "Structures",
        "core:organisation_list",
        frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.COMMITTEE_MEMBER}),
    ),
    NavItem(
        "Conventions",
        "agreements:list",
        frozenset(
            {Role.COORDINATOR, Role.ADMINISTRATOR, Role.COMMITTEE_MEMBER, Role.PARTNER_STAFF}
        ),
    ),
    # Named data (professional secrecy, art. 2): advisers only; aggregates go to statistics.
    NavItem("Activités", "activities:list", frozenset({Role.ADVISOR})),
    NavItem("Bénéficiaires", "beneficiaries:list", frozenset({Role.ADVISOR})),
    # Aggregates only (no names): every role; partner staff see their own places.
    NavItem("Statistiques", "reporting:dashboard", ALL_STAFF),
    NavItem("Mandats", "mandates:list", frozenset({Role.ADVISOR})),
    NavItem("Mandats", "mandates:summary", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    # The register of data-subject requests: those who keep it (rights.perms.can_handle_rights).
    NavItem(
        "Droits des personnes",
        "rights:list",
        frozenset({Role.COORDINATOR, Role.ADVISOR}),
    ),
    NavItem(
        "Comptes rendus",
        "monthly:list",
        frozenset({Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR, Role.PARTNER_STAFF}),
    ),
    NavItem(
        "Comité",
        "committee:index",
        frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.COMMITTEE_MEMBER}),
    ),
    NavItem("API", "api:token_list", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    NavItem("Confidentialité", "privacy:index", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    # Workers, periodic jobs and the e-mails or SMS that failed (issue 16).
    NavItem("Tâches de fond", "jobs:jobs", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
)


# Three labels and "Menu" fit 360 px in one row; the order is the row's.
_MANAGERS = ("planning:slot_list", "agreements:list", "reporting:dashboard")
PRIMARY = {
    Role.COORDINATOR: _MANAGERS,
    Role.ADMINISTRATOR: _MANAGERS,
    Role.ADVISOR: ("planning:my_week", "activities:list", "beneficiaries:list"),
    Role.PARTNER_STAFF: ("places:list", "workshops:session_list", "monthly:list"),
    Role.COMMITTEE_MEMBER: ("committee:index", "agreements:list", "reporting:dashboard"),
}


class Navigation(list):
    """The entries a user sees (dicts: label, url, current, primary), in the menu's order.

    ``primary`` are the row's entries, ``more`` the menu's; ``more_current`` says that the page
    is one of the menu's, so that the closed "Menu" button can show it.
    """

    @property
    def primary(self) -> list[dict]:
        return sorted((i for i in self if i["primary"]), key=lambda i: i["rank"])

    @property
    def more(self) -> list[dict]:
        return [i for i in self if not i["primary"]]

    @property
    def more_current(self) -> bool:
        return any(i["current"] for i in self.more)


def nav_for_role(role: str, current_path: str) -> Navigation:
    """A role's entries, with the current one flagged for aria-current."""
    primary = PRIMARY.get(role, ())
    items = Navigation()
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        url = reverse(item.url_name)
        current = current_path == url if url == "/" else current_path.startswith(url)
        rank = primary.index(item.url_name) if item.url_name in primary else None
        items.append(
            {
                "label": item.label,
                "url": url,
                "current": current,
                "primary": rank is not None,
                "rank": rank,
            }
        )
    return items


def nav_for(user, current_path: str) -> Navigation:
    """Navigation entries for a signed-in user (none before the second factor)."""
    if not user.is_authenticated or (user.requires_two_factor and not user.is_verified()):
        return Navigation()
    return nav_for_role(user.role, current_path)
