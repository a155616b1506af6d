"""The shared form rendering: error summary, aria-invalid and aria-describedby (issue 17 §1)."""

from django import forms
from django.template import Context, Template

from ..helpers import count_tags

# Compiled in the test, never at import: a Template built while pytest collects creates the
# template engine before pytest-django arms FAIL_INVALID_TEMPLATE_VARS, and that engine then
# renders undefined variables as "" in every later test (tests/test_meta.py caught it).
SOURCE = (
    '{% include "includes/form_errors.html" %}'
    "{% for field in form %}{% include 'includes/field.html' %}{% endfor %}"
)


class _Form(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il figure sur la pièce d'identité.")
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False)

    def clean(self):
        raise forms.ValidationError("Une erreur d'ensemble.")


def _render(data) -> str:
    return Template(SOURCE).render(Context({"form": _Form(data)}))


def test_a_valid_looking_form_has_no_summary():
    assert "error-summary" not in _render(None)


def test_summary_links_every_error_to_its_field():
    html = _render({"note": "x"})
    assert "Le formulaire contient 3 erreurs" in html
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert "<li>Une erreur d&#x27;ensemble.</li>" in html
    assert '<a href="#id_name">Nom : Ce champ est obligatoire.</a>' in html
    # A radio group has no id of its own to reach: the link goes to its first button.
    assert '<a href="#id_kind_0">Type : Ce champ est obligatoire.</a>' in html


def test_fields_in_error_are_marked_and_described():
    html = _render({"note": "x"})
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html
    # The group is a fieldset named by its legend and described by its error.
    assert (
        '<fieldset class="field field--group field--error" aria-describedby="id_kind_error">'
        in html
    )
    assert count_tags(html, "legend") == 1
    assert 'id="id_note_error"' not in html and html.count('aria-invalid="true"') == 3


class _ConsentForm(forms.Form):
    consent = forms.BooleanField(label="J'ai lu la mention ci-dessus et je l'accepte.")


def test_a_sentence_label_loses_its_full_stop_in_the_summary_only():
    html = Template(SOURCE).render(Context({"form": _ConsentForm({})}))
    assert "je l&#x27;accepte : Ce champ est obligatoire.</a>" in html
    assert "je l&#x27;accepte. :" not in html
    assert "je l&#x27;accepte. <span" in html  # the box keeps its sentence
