"""Form pieces every app shares."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker: ``type="date"`` needs ISO values whatever the locale
    (the French format « 06/12/2027 » would leave the field empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has one, else on the
    form (the French message of ``full_clean`` or of the service's own rule)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
