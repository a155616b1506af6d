"""Reads about beneficiaries (named data: callers check ``perms`` first)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from relais.core.validators import normalise_phone

from .models import Beneficiary
from .normalise import fold, name_key, normalise_email


def beneficiaries_for_list(search: str = ""):
    """Everybody the team follows, searched by name, phone or e-mail, most recent first."""
    return (
        Beneficiary.objects.search(search)
        .select_related("commune")
        .annotate(activity_count=Count("activities"))
        .order_by("-last_activity_on", "last_name", "first_name", "pk")
    )


def beneficiary_duplicates(
    *,
    first_name: str = "",
    last_name: str = "",
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
    exclude_pk: int | None = None,
) -> list[Beneficiary]:
    """Records that are probably the same person.

    Same normalised names and birth year (first and last name swapped too: paper forms mix
    them up), or same phone number, or same e-mail address.
    """
    query = Q()
    if (first_name or last_name) and birth_year:
        keys = {name_key(last_name, first_name), name_key(first_name, last_name)}
        query |= Q(name_key__in=keys, birth_year=birth_year)
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        phone = ""  # not a number: no duplicate to find by it
    if phone:
        query |= Q(phone=phone)
    email = normalise_email(email)
    if email:
        query |= Q(email=email)
    if not query:
        return []
    candidates = Beneficiary.objects.filter(query).select_related("commune")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates.order_by("pk")[:20])


def duplicates_of(beneficiary: Beneficiary) -> list[Beneficiary]:
    return beneficiary_duplicates(
        first_name=beneficiary.first_name,
        last_name=beneficiary.last_name,
        birth_year=beneficiary.birth_year,
        phone=beneficiary.phone,
        email=beneficiary.email,
        exclude_pk=beneficiary.pk,
    )


def recent_activities_of(beneficiary: Beneficiary, limit: int = 30):
    return (
        beneficiary.activities.select_related("place", "advisor__user")
        .prefetch_related("themes")
        .defer("private_notes")[:limit]
    )


# The person picker (``forms.BeneficiaryPickerField``): a few names, never the whole file.
PICKER_LIMIT = 10
PICKER_MIN_CHARS = 2


def beneficiaries_visible_to(user):
    """The people ``user`` may name and choose: the whole team's file for an adviser (the
    secrecy of art. 2 is shared by the team, see ``perms``), nobody for the other roles."""
    from .perms import can_view_named_data

    return Beneficiary.objects.all() if can_view_named_data(user) else Beneficiary.objects.none()


def picker_words(text: str) -> list[str]:
    """The folded words of a search, or none when it is too short to be worth a query."""
    words = fold(text).split()
    return words if len("".join(words)) >= PICKER_MIN_CHARS else []


def beneficiaries_matching(queryset, text: str, limit: int = PICKER_LIMIT) -> list[Beneficiary]:
    """Named people of ``queryset`` whose name contains every word of ``text``, at most
    ``limit + 1`` (the extra one says « more: refine »).

    Each word is a ``LIKE '%word%'`` on ``name_key``, which PostgreSQL answers from the trigram
    index of its first migration (``pg_trgm``); the rows are few once filtered, so sorting them by
    name costs nothing (docs/performance.md, « Scale »).
    """
    words = picker_words(text)
    if not words:
        return []
    query = Q()
    for word in words:
        query &= Q(name_key__contains=word)
    return list(
        queryset.filter(query)
        .exclude(name_key="")
        .select_related("commune")
        .only(
            "first_name",
            "last_name",
            "birth_year",
            "last_activity_on",
            "commune__name",
        )
        .order_by("name_key", "pk")[: limit + 1]
    )
