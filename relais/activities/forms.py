"""Activity entry forms, built for a phone: big toggles, radios with defaults, one submit.

Saving goes through ``services.activity_record`` / ``activity_update``, never ``form.save()``.
"""

import uuid

from django import forms
from django.utils import timezone

from relais.beneficiaries.forms import BeneficiaryPickerField
from relais.beneficiaries.queries import beneficiaries_visible_to
from relais.core.forms import (
    CheckboxSelectMultiple,
    DateInput,
    ModelChoiceField,
    RadioSelect,
    Select,
)
from relais.core.validators import validate_programme_date
from relais.places.models import Place
from relais.workshops.models import WorkshopSession

from .enums import (
    BREAKDOWNS,
    DEFAULT_DURATION,
    DURATION_CHOICES,
    MAX_DURATION_MINUTES,
    MAX_PARTICIPANTS,
    OTHER_DURATION,
    AgeBracket,
    Autonomy,
    Equipment,
    Gender,
    Level,
    LocationKind,
    Referral,
    SocialStatus,
    Theme,
    ThemeGroup,
    count_field,
    duration_label,
    theme_group,
)
from .models import BREAKDOWN_NAMES, COUNT_MESSAGE, DURATION_MESSAGE, PARTICIPANTS_MESSAGE
from .queries import private_notes_for

DEFAULT_AUTONOMY = Autonomy.GUIDED  # the most frequent case at the seed's permanences


def bounds_messages(message: str) -> dict:
    """One French sentence for a number out of range, whichever end (not Django's two)."""
    return {"min_value": message, "max_value": message, "invalid": "Saisissez un nombre entier."}


class ActivityForm(forms.Form):
    """Fields common to both kinds; ``IndividualActivityForm`` and ``CollectiveActivityForm``."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(
        label="Date",
        widget=DateInput(),
        validators=[validate_programme_date],
    )
    themes = forms.MultipleChoiceField(
        label="Thématiques",
        choices=Theme.choices,
        widget=CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une thématique."},
    )
    duration = forms.ChoiceField(
        label="Durée",
        choices=[(str(m), duration_label(m)) for m in DURATION_CHOICES]
        + [(OTHER_DURATION, "Autre")],
        widget=RadioSelect,
        initial=str(DEFAULT_DURATION),
    )
    custom_duration = forms.IntegerField(
        label="Autre durée (minutes)",
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        error_messages=bounds_messages(DURATION_MESSAGE),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Seulement si vous avez choisi « Autre ».",
    )
    location_kind = forms.ChoiceField(
        label="Où",
        choices=LocationKind.choices,
        widget=RadioSelect,
        initial=LocationKind.PLACE,
    )
    place = ModelChoiceField(
        label="Lieu d'activité",
        queryset=Place.objects.active().order_by("name"),
        required=False,
        empty_label="— Choisir —",
        widget=Select,
    )
    equipment = forms.MultipleChoiceField(
        label="Matériel utilisé",
        choices=Equipment.choices,
        widget=CheckboxSelectMultiple,
        required=False,
    )
    private_notes = forms.CharField(
        label="Notes privées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visibles par vous seul ; jamais exportées ni partagées.",
    )

    def __init__(self, *args, require_key: bool = True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_key = require_key
        self.user = user
        self.fields["idempotency_key"].required = False

    def clean_idempotency_key(self):
        # A hidden field cannot show an error; a client that lost it still records its activity
        # (without the double-post protection, which only its own retry could have used).
        key = self.cleaned_data.get("idempotency_key")
        return key or (uuid.uuid4() if self.require_key else None)

    def theme_groups(self) -> list[tuple[str, list]]:
        """The theme checkboxes split into the Coop's two groups, each one a fieldset."""
        boxes = list(self["themes"])
        return [
            (group.label, [b for b in boxes if theme_group(b.data["value"]) == group])
            for group in ThemeGroup
        ]

    def clean(self):
        data = super().clean()
        duration = data.get("duration")
        if duration == OTHER_DURATION:
            if not data.get("custom_duration"):
                self.add_error("custom_duration", "Indiquez la durée en minutes.")
            data["duration_minutes"] = data.get("custom_duration")
        elif duration:
            data["duration_minutes"] = int(duration)
        if data.get("location_kind") == LocationKind.PLACE and not data.get("place"):
            self.add_error("place", "Choisissez le lieu d'activité.")
        if Equipment.NONE in data.get("equipment", []) and len(data["equipment"]) > 1:
            self.add_error("equipment", "« Pas de matériel » exclut les autres matériels.")
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("date", "La date ne peut pas être dans le futur.")
        return data

    @staticmethod
    def initial_from(activity, *, viewer) -> dict:
        minutes = activity.duration_minutes
        preset = minutes in DURATION_CHOICES
        return {
            "date": activity.date,
            "themes": list(activity.themes.values_list("theme", flat=True)),
            "duration": str(minutes) if preset else OTHER_DURATION,
            "custom_duration": None if preset else minutes,
            "location_kind": activity.location_kind,
            "place": activity.place,
            "equipment": activity.equipment,
            "private_notes": private_notes_for(viewer, activity),
        }


class IndividualActivityForm(ActivityForm):
    # A search, not a <select>: the file holds a département's people, a million nationally.
    beneficiary = BeneficiaryPickerField(
        label="Personne accompagnée",
        required=False,
        anonymous_label="Personne anonyme",
        help_text="Laissez « Personne anonyme » si la personne ne souhaite pas être enregistrée.",
    )
    autonomy = forms.ChoiceField(
        label="Autonomie de la personne",
        choices=Autonomy.choices,
        widget=RadioSelect,
        initial=DEFAULT_AUTONOMY,
    )
    referral = forms.ChoiceField(
        label="Orientation vers",
        choices=[("", "Pas d'orientation"), *Referral.choices],
        required=False,
    )
    gender = forms.ChoiceField(
        label="Genre",
        choices=Gender.choices,
        widget=RadioSelect,
        initial=Gender.UNKNOWN,
        required=False,
    )
    age_bracket = forms.ChoiceField(
        label="Tranche d'âge",
        choices=AgeBracket.choices,
        initial=AgeBracket.UNKNOWN,
        required=False,
    )
    social_status = forms.ChoiceField(
        label="Statut",
        choices=SocialStatus.choices,
        widget=RadioSelect,
        initial=SocialStatus.UNKNOWN,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people this user may name (an adviser: the team's file); none without a user.
        self.fields["beneficiary"].queryset = beneficiaries_visible_to(self.user)

    @staticmethod
    def initial_from(activity, *, viewer) -> dict:
        return {
            **ActivityForm.initial_from(activity, viewer=viewer),
            "beneficiary": activity.beneficiary,
            "autonomy": activity.autonomy or DEFAULT_AUTONOMY,
            "referral": activity.referral,
            "gender": activity.single_value("gender"),
            "age_bracket": activity.single_value("age"),
            "social_status": activity.single_value("status"),
        }


def _count_input(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        error_messages=bounds_messages(COUNT_MESSAGE),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )


class SessionLinkField(forms.ModelChoiceField):
    """The hidden link to the reported session: a hidden field cannot show an error, so a
    session that no longer exists (deleted since the form was opened) leaves the report
    unlinked rather than refusing it with nothing to see."""

    widget = forms.HiddenInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class CollectiveActivityForm(ActivityForm):
    workshop_session = SessionLinkField(
        queryset=WorkshopSession.objects.select_related("topic", "place"), required=False
    )
    title = forms.CharField(label="Titre de l'atelier", max_length=200)
    level = forms.ChoiceField(
        label="Niveau", choices=[("", "Non précisé"), *Level.choices], required=False
    )
    participants_count = forms.IntegerField(
        label="Nombre de participants",
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        error_messages=bounds_messages(PARTICIPANTS_MESSAGE),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration"].initial = "120"
        for prefix, vocabulary in BREAKDOWNS.items():
            for value, label in vocabulary.choices:
                self.fields[count_field(prefix, value)] = _count_input(label)

    @property
    def linked_session(self):
        """The workshop session this report is for, if any (shown above the form)."""
        if self.is_bound:
            return self.fields["workshop_session"].to_python(self.data.get("workshop_session"))
        return self.initial.get("workshop_session")

    @property
    def linked_session_id(self) -> int | None:
        session = self.linked_session
        return session.pk if session is not None else None

    def breakdown_groups(self) -> list[tuple[str, str, list]]:
        """(prefix, legend, bound fields) for each breakdown fieldset."""
        legends = {"gender": "Genre", "age": "Tranches d'âge", "status": "Statuts"}
        return [
            (prefix, legends[prefix], [self[count_field(prefix, v)] for v in vocabulary.values])
            for prefix, vocabulary in BREAKDOWNS.items()
        ]

    def clean(self):
        """Each breakdown adds up to the participants, « Non communiqué » taking the rest.

        « Non communiqué » is what is left once the known values are counted: left empty, or
        alone in its breakdown (the edit form shows the total there), it follows the total, so
        that correcting the number of participants never means emptying three fields first.
        """
        data = super().clean()
        total = data.get("participants_count")
        if total is None:
            return data
        for prefix, vocabulary in BREAKDOWNS.items():
            unknown = count_field(prefix, "unknown")
            if unknown in self.errors:
                continue
            known = [count_field(prefix, v) for v in vocabulary.values if v != "unknown"]
            if any(name in self.errors for name in known):
                continue
            known_sum = sum(data.get(name) or 0 for name in known)
            if not data.get(unknown) or not known_sum:
                if known_sum > total:
                    self.add_error(
                        next(name for name in known if data.get(name)),
                        f"La répartition par {BREAKDOWN_NAMES[prefix]} compte {known_sum} "
                        f"personne(s) pour {total} participant(s) : corrigez-la ou "
                        "laissez-la vide.",
                    )
                else:
                    data[unknown] = total - known_sum
                continue
            given = known_sum + data[unknown]
            if given != total:
                self.add_error(
                    unknown,
                    f"La répartition par {BREAKDOWN_NAMES[prefix]} compte {given} personne(s) "
                    f"pour {total} participant(s) : corrigez-la, ou videz « Non communiqué » "
                    "pour qu'il compte le reste.",
                )
        return data

    @staticmethod
    def initial_from(activity, *, viewer) -> dict:
        initial = {
            **ActivityForm.initial_from(activity, viewer=viewer),
            "title": activity.title,
            "level": activity.level,
            "participants_count": activity.participants_count,
            # Kept through an edit: the link is what marks the session as reported.
            "workshop_session": activity.workshop_session,
        }
        for prefix, vocabulary in BREAKDOWNS.items():
            for value in vocabulary.values:
                name = count_field(prefix, value)
                initial[name] = getattr(activity, name) or None
        return initial
