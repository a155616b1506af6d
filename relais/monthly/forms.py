"""Forms of the monthly partner report pages."""

from django import forms


class MonthlyCommentForm(forms.Form):
    adviser_comment = forms.CharField(
        label="Commentaire du conseiller",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Faits marquants du mois, sans nommer de personne accompagnée.",
    )


class MonthlyReturnForm(forms.Form):
    comment = forms.CharField(
        label="Motif du renvoi",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui doit être corrigé avant validation.",
    )
