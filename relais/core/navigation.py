"""The main navigation, by role. One place decides which sections a role sees."""

from dataclasses import dataclass

from django.urls import reverse

from relais.accounts.enums import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_STAFF = frozenset(Role.values)
DEPARTMENT_STAFF = frozenset({Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR})

NAV_ITEMS = (
    NavItem("Tableau de bord", "core:home", ALL_STAFF),
    NavItem("Lieux", "places:list", ALL_STAFF),
    NavItem("Équipe", "team:list", DEPARTMENT_STAFF),
    NavItem("Planning", "planning:slot_list", frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})),
    NavItem("Ma semaine", "planning:my_week", frozenset({Role.ADVISOR})),
    NavItem("Mon agenda", "public:my_agenda", frozenset({Role.ADVISOR})),
    NavItem("Fermetures", "planning:closure_list", frozenset({Role.PARTNER_STAFF})),
    # Partner staff read their places' programme (seat counts only, no names).
    NavItem("Ateliers", "workshops:session_list", DEPARTMENT_STAFF | {Role.PARTNER_STAFF}),
    NavItem("Rendez-vous", "bookings:appointment_places", DEPARTMENT_STAFF),
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
)


def nav_for(user, current_path: str) -> list[dict]:
    """Navigation entries for a user, with the current one flagged for aria-current."""
    if not user.is_authenticated or (user.requires_two_factor and not user.is_verified()):
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        url = reverse(item.url_name)
        current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "current": current})
    return items
