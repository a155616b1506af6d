"""The error summary shown above a form that failed (issue 17, section 1).

``{% error_summary form %}`` (in ``includes/form_errors.html``, which every form includes) lists
the form's errors, each field's linked to its input, so that on a phone, where the field in
error may be far below, the page does not look unchanged after a failed submit.
``static/relais/forms.js`` moves the focus to it.
"""

from django import template

register = template.Library()


def _anchor(bound_field) -> str:
    """The id of the first focusable input of a field, for the summary's link.

    Radio buttons and checkbox lists have no ``id_for_label`` (their label is a legend):
    their first option's id is ``<auto_id>_0``.
    """
    if bound_field.is_hidden or not bound_field.auto_id:
        return ""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form):
    entries = [{"label": "", "message": error, "anchor": ""} for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            # « label : message »: a label written as a sentence (a consent box's) loses its
            # final full stop there, « … et l'accepte : L'accord … », not « l'accepte. : ».
            label = str(bound_field.label).rstrip(" .")
            entries.append({"label": label, "message": error, "anchor": _anchor(bound_field)})
    return {"entries": entries, "prefix": form.prefix or "formulaire"}
