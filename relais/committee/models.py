"""Art. 3.4 of the convention, « modalités de suivi »: the Comité Technique Départemental.

* **Committee**: members (representatives of the Département, of the partners and of the other
  legal persons employing at least one CnFS), meetings (agenda, attendees, minutes, decisions)
  and their action items — the « axes de progrès » with an owner and a due date.
"""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel, entered_by
from relais.core.validators import PROGRAMME_START, validate_plausible_date

from .enums import ActionStatus, InvitationStatus, MemberCategory


class CommitteeMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_on__isnull=True)


class CommitteeMember(TimeStampedModel):
    """A representative sitting on the committee, for the structure they represent.

    Their name is kept while they sit and for the retention term after they leave (see this
    app's privacy.py); minutes and reviews then show « membre anonymisé ».
    """

    category = models.CharField("collège", max_length=20, choices=MemberCategory.choices)
    full_name = models.CharField("nom et prénom", max_length=150)
    function = models.CharField("fonction", max_length=150, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="structure représentée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_members",
    )
    other_organisation = models.CharField(
        "autre structure",
        max_length=200,
        blank=True,
        help_text="Personne morale employant un CnFS qui n'est pas une structure de Relais.",
    )
    email = models.EmailField("e-mail professionnel", blank=True)
    joined_on = models.DateField(
        "membre depuis", default=timezone.localdate, validators=[validate_plausible_date]
    )
    left_on = models.DateField(
        "membre jusqu'au", null=True, blank=True, validators=[validate_plausible_date]
    )

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre du comité"
        verbose_name_plural = "membres du comité"
        ordering = ["category", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(other_organisation=""),
                name="committee_member_represents_a_structure",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="committee_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.structure_label})"

    @property
    def structure_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.other_organisation

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        errors = {}
        if not self.organisation_id and not self.other_organisation.strip():
            errors["organisation"] = "Indiquez la structure représentée."
        if (
            self.organisation_id
            and self.category == MemberCategory.DEPARTMENT
            and not self.organisation.is_department
        ):
            errors["organisation"] = "Un représentant du Département représente le Département."
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = "La fin du mandat doit suivre son début."
        if errors:
            raise ValidationError(errors)


# How far ahead a meeting may be planned.
MEETING_HORIZON_YEARS = 2


class Meeting(TimeStampedModel):
    """A meeting of the committee (at least once a year, Art. 3.4)."""

    date = models.DateField("date", validators=[validate_plausible_date])
    start_time = models.TimeField("heure de début", null=True, blank=True)
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    location = models.CharField("lieu", max_length=200, blank=True)
    agenda = models.TextField("ordre du jour")
    attendees = models.ManyToManyField(
        CommitteeMember, verbose_name="présents", blank=True, related_name="meetings"
    )
    minutes = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions", blank=True)
    created_by = entered_by("créée par")

    class Meta:
        verbose_name = "réunion du comité"
        verbose_name_plural = "réunions du comité"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Comité technique du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.end_time and not self.start_time:
            errors["start_time"] = "Indiquez l'heure de début avant celle de fin."
        elif self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "L'heure de fin doit suivre l'heure de début."
        if self.date:
            errors.update(self._date_problems())
        if errors:
            raise ValidationError(errors)

    def _date_problems(self) -> dict:
        """The committee exists since the programme, meets once a day at most, and a meeting
        that has not taken place has no minutes yet."""

        today = timezone.localdate()
        if self.date < PROGRAMME_START:
            return {
                "date": f"Le comité ne s'est pas réuni avant le début du programme "
                f"({PROGRAMME_START:%d/%m/%Y}) : vérifiez l'année."
            }
        if self.date > today + relativedelta(years=MEETING_HORIZON_YEARS):
            return {
                "date": f"Une réunion se prévoit au plus {MEETING_HORIZON_YEARS} ans à l'avance "
                ": vérifiez l'année."
            }
        problems = {}
        if Meeting.objects.filter(date=self.date).exclude(pk=self.pk).exists():
            problems["date"] = (
                f"Le comité a déjà une réunion le {self.date:%d/%m/%Y} : complétez celle-là."
            )
        if self.date > today:
            for name, label in (("minutes", "Le compte rendu"), ("decisions", "Les décisions")):
                if getattr(self, name).strip():
                    problems[name] = (
                        f"{label} d'une réunion qui n'a pas encore eu lieu (le "
                        f"{self.date:%d/%m/%Y}) ne peut pas être saisi."
                    )
        return problems

    @property
    def convened_details(self) -> str:
        """What a convocation announces; when it changes, members are sent an update."""
        # A comparison key, never shown: ISO times.
        times = "-".join(t.isoformat("minutes") for t in (self.start_time, self.end_time) if t)
        return f"{self.date:%Y-%m-%d} {times} {self.location}".strip()


class MeetingInvitation(models.Model):
    """A convocation e-mailed to one member for one version of a meeting's date, time and place.

    ``sequence`` numbers the versions (it is the calendar file's SEQUENCE): a change of date, time
    or place sent to members is a new sequence, and each member receives each version at most
    once — the row exists, ``queued``, before the message leaves; a ``failed`` one may be retried.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="invitations",
        verbose_name="membre",
    )  # fmt: skip
    sequence = models.PositiveSmallIntegerField("version", default=0)
    details = models.CharField("date, heures et lieu annoncés", max_length=300)
    recipient = models.EmailField("destinataire")
    status = models.CharField(
        "état", max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.QUEUED
    )
    error = models.CharField("erreur", max_length=1000, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "convocation"
        verbose_name_plural = "convocations"
        ordering = ["meeting", "-sequence", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "sequence"], name="one_invitation_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Convocation de {self.member} ({self.meeting})"


class ActionItem(TimeStampedModel):
    """An « axe de progrès » decided in a meeting: what, who carries it, by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField("action", max_length=300)
    owner_member = models.ForeignKey(
        CommitteeMember,
        verbose_name="porteur (membre)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner_label = models.CharField(
        "porteur (autre)",
        max_length=200,
        blank=True,
        help_text="Une structure ou une fonction (« Département — coordination »), sans nom.",
    )
    partner = models.ForeignKey(
        "core.Organisation",
        verbose_name="structure concernée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_actions",
        help_text="Vide : action départementale. Sert au bilan par structure.",
    )
    due_on = models.DateField("échéance", validators=[validate_plausible_date])
    status = models.CharField(
        "état", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(
        "réalisée le", null=True, blank=True, validators=[validate_plausible_date]
    )

    class Meta:
        verbose_name = "action (axe de progrès)"
        verbose_name_plural = "actions (axes de progrès)"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=False) | ~Q(owner_label=""),
                name="action_item_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(done_on__isnull=False),
                name="action_item_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_display(self) -> str:
        return self.owner_member.full_name if self.owner_member_id else self.owner_label

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()

    def clean(self) -> None:
        if not self.owner_member_id and not self.owner_label.strip():
            raise ValidationError({"owner_label": "Indiquez le porteur de l'action."})
        if self.owner_member_id and self.owner_label.strip():
            raise ValidationError(
                {
                    "owner_label": "Un seul porteur : un membre du comité, ou sinon une "
                    "structure ou une fonction, pas les deux."
                }
            )
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.due_on and self.due_on < meeting.date:
            raise ValidationError(
                {
                    "due_on": f"L'échéance ne peut pas précéder la réunion qui a décidé "
                    f"l'action ({meeting.date:%d/%m/%Y})."
                }
            )
        if self.status == ActionStatus.DONE and not self.done_on:
            self.done_on = timezone.localdate()
        if self.status == ActionStatus.OPEN:
            self.done_on = None
