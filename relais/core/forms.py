"""Form pieces every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker: ``type="date"`` needs ISO values whatever the locale
    (the French format « 06/12/2027 » would leave the field empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
