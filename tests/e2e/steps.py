"""Steps the browser tests share: signing in through the login form as a person would, and
checking that a page fits a phone's screen, following an e-mail's link."""

import re

from ..factories import TEST_PASSWORD
from ..helpers import totp_code

# The narrowest phone the pages are made for (issue 8), in CSS pixels.
PHONE = {"width": 360, "height": 740}
LOGIN = "/compte/connexion/"


def sign_in(page, url: str, user, device=None) -> None:
    """Open ``url`` (the login page, or a page that leads to it) and sign ``user`` in: e-mail
    and password, then the authenticator's current code when they have a ``device``. The caller
    waits for the page it expects next: that wait is its assertion."""
    page.goto(url)
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.get_by_label("Code de vérification").fill(totp_code(device))
        page.get_by_role("button", name="Valider").click()


def assert_fits_phone(page, label: str = "") -> None:
    """The page does not scroll sideways on the phone's width."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{label} : {width} px de large"


def path_in_email(email, prefix: str) -> str:
    """The path of the e-mail's link under ``prefix`` (the link names the site's address, not the
    live server's, so the test opens the path on its own server)."""
    link = re.search(rf"https?://\S+{re.escape(prefix)}\S+/", email.body).group(0)
    return prefix + link.split(prefix, 1)[1]
