"""Staff accounts. Residents never have an account: only staff log in."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from relais.core import french

from .enums import ROLES_REQUIRING_TWO_FACTOR, Role, TitleForm


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("role", Role.COMMITTEE_MEMBER)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        """Used by ``relais createsuperuser``: an administrator with every permission."""
        fields.pop("is_staff", None)
        fields.update(role=Role.ADMINISTRATOR, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username):
        # E-mail addresses are matched case-insensitively at login.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member: coordinator, advisor, partner staff, committee member or administrator.

    Personal data (name, e-mail) kept while the account exists; see the privacy retention table.
    """

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Obligatoire pour le personnel d'une structure partenaire.",
    )
    title_form = models.CharField(
        "accord du titre",
        max_length=10,
        choices=TitleForm.choices,
        blank=True,
        default=TitleForm.NEUTRAL,
        help_text="Comment écrire votre fonction dans Relais ; neutre si rien n'est choisi.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_ci"),
            models.CheckConstraint(
                condition=~models.Q(role="partner_staff") | models.Q(organisation__isnull=False),
                name="user_partner_staff_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def title(self) -> str:
        """The role as the person chose to write it (« Conseillère numérique »), neutral by
        default (« Médiation numérique »)."""
        return french.person_title(self.role, self.title_form)

    # Django's admin asks for ``is_staff``: only administrators reach it.
    @property
    def is_staff(self) -> bool:
        return self.is_active and (self.role == Role.ADMINISTRATOR or self.is_superuser)

    @property
    def requires_two_factor(self) -> bool:
        return self.role in ROLES_REQUIRING_TWO_FACTOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_advisor(self) -> bool:
        return self.role == Role.ADVISOR

    @property
    def is_partner_staff(self) -> bool:
        return self.role == Role.PARTNER_STAFF

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if self.role == Role.PARTNER_STAFF:
            if self.organisation_id is None:
                raise ValidationError(
                    {
                        "organisation": "Un agent de structure partenaire doit être rattaché à "
                        "sa structure."
                    }
                )
            if self.organisation.is_department:
                raise ValidationError(
                    {
                        "organisation": "Un agent de structure partenaire ne peut pas être "
                        "rattaché au Département."
                    }
                )
