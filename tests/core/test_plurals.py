"""French plurals (issue 17, section 4): 0 and 1 take the singular, 2 and more the plural.

Relais writes its French in the code and counts through ``{% blocktranslate count %}`` and
``ngettext``; the catalog locale/fr (``make messages``) carries French's rule (``n > 1``). A
string missing from the catalog falls back to English's rule (« 0 séances »), and Django's
``pluralize`` follows English too: these tests refuse both, and render the converted strings.
"""

import ast
import re
from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
from django.templatetags.i18n import BlockTranslateNode
from django.utils.translation import ngettext
from hypothesis import given
from hypothesis import strategies as st

from relais.agreements.documents import duration_phrase
from relais.agreements.enums import CommitmentUnit, unit_count

ROOT = Path(__file__).resolve().parents[2]
RELAIS = ROOT / "relais"
COUNTS = st.integers(min_value=0, max_value=10**6)
# Hand-built plurals (« jour{'s' if n > 1 else ''} »): French by luck of the comparison, and
# out of the catalog. Files other sessions are moving, to convert once they settle; the list
# may only shrink.
HAND_BUILT = re.compile(r"""['"]s['"] if [^'"]*(?:[<>]=?|[!=]=) ?[12]\b""")
HAND_BUILT_LEFT: set[str] = set()


def _templates():
    """(file, template name) of the project's templates."""
    for path in sorted(RELAIS.rglob("templates/**/*")):
        if path.suffix in (".html", ".txt"):
            parts = path.relative_to(RELAIS).parts
            yield path, "/".join(parts[parts.index("templates") + 1 :])


def _template_plurals():
    """(template, singular msgid, plural msgid) of every {% blocktranslate count %}."""
    # A private engine: creating the shared one while the tests are collected would miss
    # pytest-django's FAIL_INVALID_TEMPLATE_VARS (tests/test_meta.py says why).
    engine = Engine(app_dirs=True, libraries=dict(get_installed_libraries()))
    for _, name in _templates():
        template = engine.get_template(name)
        for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
            if node.plural and node.countervar:
                singular = node.render_token_list(node.singular)[0]
                plural = node.render_token_list(node.plural)[0]
                yield name, singular, plural


def _code_plurals():
    """(file, singular, plural) of every ngettext("…", "…", n) in the code."""
    for path in sorted(RELAIS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "ngettext":
                singular, plural = call.args[0], call.args[1]
                assert isinstance(singular, ast.Constant) and isinstance(plural, ast.Constant), (
                    f"{path.relative_to(ROOT)}:{call.lineno}: ngettext takes literal strings "
                    "(makemessages cannot extract a variable)"
                )
                yield str(path.relative_to(ROOT)), singular.value, plural.value


PLURALS = [*_template_plurals(), *_code_plurals()]


def test_no_template_counts_with_django_pluralize():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path, _ in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\|\s*pluralize\b", line)
    ]
    assert found == [], (
        "|pluralize follows English (« 0 séances »): use {% blocktranslate count %} "
        "then `make messages`: " + ", ".join(found)
    )


def test_no_new_code_builds_plurals_by_hand():
    found = {
        str(path.relative_to(ROOT))
        for path in RELAIS.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if HAND_BUILT.search(line) and "not a count" not in line
    }
    assert found - HAND_BUILT_LEFT == set(), "use ngettext, then `make messages`"


def test_the_hand_built_check_flags_what_it_should():
    assert HAND_BUILT.search("""f"{n} jour{'s' if n > 1 else ''}" """)
    assert HAND_BUILT.search("""unit + ("s" if self.count != 1 else "")""")
    assert not HAND_BUILT.search("""ngettext("%(count)s jour", "%(count)s jours", n)""")


def test_the_project_counts_in_french_somewhere():
    """The scan finds what it is meant to find (an empty scan would pass everything)."""
    names = {name for name, _, _ in PLURALS}
    assert len(PLURALS) > 60
    assert "workshops/includes/session_item.html" in names
    assert "relais/agreements/enums.py" in names


@pytest.mark.parametrize(("where", "singular", "plural"), PLURALS)
def test_every_counted_string_is_in_the_french_catalog(where, singular, plural):
    """Missing from locale/fr, a string would count 0 as plural: run `make messages`."""
    assert ngettext(singular, plural, 0) == singular, f"{where}: {singular!r} not in locale/fr"
    assert ngettext(singular, plural, 1) == singular
    assert ngettext(singular, plural, 2) == plural


@given(count=COUNTS)
def test_every_counted_string_takes_the_singular_for_0_and_1_only(count):
    for _, singular, plural in PLURALS:
        expected = singular if count < 2 else plural
        assert ngettext(singular, plural, count) == expected


@given(count=COUNTS)
def test_a_template_renders_french_plurals(count):
    """The agreement's next deadline, rendered as a page includes it."""
    text = Template('{% include "agreements/includes/next_deadline.html" %}').render(
        Context(
            {
                "timeline": {
                    "status": "awaiting_signatures",
                    "pending_termination_on": None,
                    "opposition_deadline": None,
                    "end_date": None,
                    "unsigned_count": count,
                }
            }
        )
    )
    words = "signature manquante" if count < 2 else "signatures manquantes"
    assert text.strip() == f"{count} {words}"


@given(count=st.integers(min_value=0, max_value=1000))
def test_commitments_and_durations_count_in_french(count):
    singular = count < 2
    assert unit_count(CommitmentUnit.HALF_DAY, count) == (
        f"{count} demi-journée" if singular else f"{count} demi-journées"
    )
    assert unit_count(CommitmentUnit.DAY, count) == (
        f"{count} journée" if singular else f"{count} journées"
    )
    assert duration_phrase(12 * count) == (f"{count} an" if singular else f"{count} ans")
