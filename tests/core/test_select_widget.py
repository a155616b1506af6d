"""``core.forms.Select``, ``RadioSelect`` and ``CheckboxSelectMultiple`` write their options in
Python (issue 19 §1: one template include per option made the activity form slow): they must
give what Django's own widgets give, compared as HTML (whitespace aside) for a select and to
the letter for each option's ``<input>``, for any labels, values, groups and selection."""

import pytest
from django import forms
from django.test.html import parse_html
from hypothesis import given, settings
from hypothesis import strategies as st

from relais.core.forms import CheckboxSelectMultiple, RadioSelect, Select

from ..factories import CommuneFactory

# Labels and values with what HTML must escape, accents, quotes and ampersands.
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
plain_choices = st.lists(st.tuples(text, text), max_size=8, unique_by=lambda c: c[0])
grouped = st.lists(st.one_of(st.tuples(text, text), st.tuples(text, plain_choices)), max_size=6)


def _both(choices, value, attrs=None):
    ours = Select(choices=choices, attrs=attrs).render("lieu", value)
    django = forms.Select(choices=choices, attrs=attrs).render("lieu", value)
    return parse_html(ours), parse_html(django)


@settings(max_examples=200, deadline=None)
@given(choices=grouped, pick=st.integers(min_value=0, max_value=8), required=st.booleans())
def test_the_same_html_as_djangos_select(choices, pick, required):
    values = [v for v, label in choices if isinstance(label, str)]
    value = values[pick % len(values)] if values and pick < 8 else None
    attrs = {"id": "id_lieu", "required": required, "aria-describedby": 'aide "lieu"'}
    ours, django = _both(choices, value, attrs)
    assert ours == django


@pytest.mark.django_db
def test_a_model_choice_field_renders_alike_with_its_selection():
    communes = [CommuneFactory(name=name) for name in ("Prades", "Ille-sur-Têt", "L'Écluse & co")]
    field = forms.ModelChoiceField(queryset=type(communes[0]).objects.order_by("name"))
    for value in (None, communes[1].pk, str(communes[2].pk)):
        ours = Select(choices=field.choices).render("commune", value)
        django = forms.Select(choices=field.choices).render("commune", value)
        assert parse_html(ours) == parse_html(django)
        assert ours.count(" selected") == 1  # the chosen one, or the empty choice


@settings(max_examples=200, deadline=None)
@given(
    choices=st.one_of(plain_choices, grouped),
    picks=st.lists(st.integers(min_value=0, max_value=7), max_size=3),
    multiple=st.booleans(),
    required=st.booleans(),
)
def test_each_option_tag_is_djangos_to_the_letter(choices, picks, multiple, required):
    """The toggles of the activity form show ``{{ option.tag }}`` one by one."""
    flat = [
        value
        for key, label in choices
        for value in ([key] if isinstance(label, str) else [v for v, _ in label])
    ]
    values = [flat[i % len(flat)] for i in picks] if flat else []
    ours_class, django_class = (
        (CheckboxSelectMultiple, forms.CheckboxSelectMultiple)
        if multiple
        else (RadioSelect, forms.RadioSelect)
    )

    class Ours(forms.Form):
        field = forms.MultipleChoiceField(choices=choices, widget=ours_class, required=required)

    class Django(forms.Form):
        field = forms.MultipleChoiceField(choices=choices, widget=django_class, required=required)

    data = {"field": values if multiple else values[:1]}
    ours = [option.tag() for option in Ours(initial=data)["field"]]
    django = [option.tag() for option in Django(initial=data)["field"]]
    assert ours == django
    # The whole widget, when a template shows ``{{ field }}``: as HTML, whitespace aside.
    whole = parse_html(str(Ours(initial=data)["field"]))
    assert whole == parse_html(str(Django(initial=data)["field"]))
