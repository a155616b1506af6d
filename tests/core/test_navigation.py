"""The main navigation: each role's row of main destinations and the rest behind "Menu"."""

import pytest

from relais.accounts.enums import Role
from relais.core.navigation import PRIMARY, nav_for_role


@pytest.mark.parametrize("role", Role.values)
def test_the_row_holds_three_of_the_roles_own_destinations(role):
    navigation = nav_for_role(role, "/")
    urls = {item["url"] for item in navigation}
    assert 1 <= len(navigation.primary) <= 3
    assert {item["url"] for item in navigation.primary} <= urls
    assert len(PRIMARY[role]) == len(navigation.primary)  # no main destination the role lacks
    assert navigation.primary + navigation.more == sorted(
        navigation, key=lambda i: (not i["primary"], i["rank"] or 0)
    )


def test_menu_shows_that_it_holds_the_current_page():
    assert nav_for_role(Role.COORDINATOR, "/comite/").more_current
    assert not nav_for_role(Role.COORDINATOR, "/planning/").more_current
    assert [i["label"] for i in nav_for_role(Role.ADVISOR, "/").primary] == [
        "Ma semaine",
        "Activités",
        "Bénéficiaires",
    ]


def test_home_page_shows_the_row_and_the_menu(coordinator_client):
    html = coordinator_client.get("/").content.decode()
    assert '<details class="main-nav__more">' in html
    assert html.count('href="/comite/"') == 2  # the wide screens' row and the menu
