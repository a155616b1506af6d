"""Form pieces every app shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """The browser's date picker: ``type="date"`` needs ISO values whatever the locale
    (the French format « 06/12/2027 » would leave the field empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read in one query. Django's iterator streams them (``QuerySet.iterator()``),
    which on PostgreSQL opens a server-side cursor — three round trips (DECLARE, FETCH, CLOSE)
    for a list of a few hundred rows that a page shows whole anyway."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """For a bounded list shown whole (places, the département's communes): one query."""

    iterator = _ListedChoices


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same, several chosen (the advisers of a permanence or a workshop session)."""

    iterator = _ListedChoices


class Select(forms.Select):
    """Django's ``Select``, its options written in Python instead of one template include
    each: the same HTML (tests/core/test_select_widget.py compares them), without the 12 ms that the
    département's 226 communes took to render on the activity form (issue 19 §1). For selects
    of a bounded but long list; a table that grows with use gets a search instead."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.append(
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options),
                )
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # every part escaped above (format_html)


class _OptionsInPython:
    """Radio buttons and check boxes written in Python, whole (``{{ field }}``) or option by
    option (``{{ option.tag }}``, the activity form's toggles): the same HTML as Django's
    templates (tests/core/test_select_widget.py compares them), without a template include per
    option — about fifty on the activity form, forty advisers on the permanence form (issue 19
    §1)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = widget["attrs"]
        parts = [
            format_html(
                "<div{}{}>",
                format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
                format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
            )
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("<div><label>{}</label>", group))
            for option in options:
                parts.append(format_html("<div>{}</div>", self._option(option)))
            if group:
                parts.append(mark_safe("</div>"))
        parts.append(mark_safe("</div>"))
        return mark_safe("".join(parts))  # every part escaped above (format_html)

    def _render(self, template_name, context, renderer=None):
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)
        return self._option(context["widget"])

    @staticmethod
    def _option(option) -> str:
        """django/forms/widgets/input_option.html and input.html."""
        value = option["value"]
        tag = format_html(
            '<input type="{}" name="{}"{}{}>',
            option["type"],
            option["name"],
            format_html(' value="{}"', str(value)) if value is not None else "",
            _attrs(option["attrs"]),
        )
        if not option.get("wrap_label"):
            return tag
        label_id = option["attrs"].get("id")
        return format_html(
            "<label{}>{} {}</label>",
            format_html(' for="{}"', label_id) if label_id else "",
            tag,
            option["label"],
        )


class RadioSelect(_OptionsInPython, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(_OptionsInPython, forms.CheckboxSelectMultiple):
    pass


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html, in its order: True a bare name, False left out, else
    name="value"."""
    return mark_safe(  # each part escaped by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has one, else on the
    form (the French message of ``full_clean`` or of the service's own rule)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
