"""Issue 12, section 4: the shared defences against hostile input, in relais.core.

Validators (phone numbers, postal codes, date ranges), raw parameter parsing, the integer
``__in`` lookup and the middleware that refuses NUL characters. The pages that used them wrongly
have their own regression tests next to their app's; tests/test_fuzz.py walks every page.
"""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from relais.agreements.models import Commitment
from relais.core.models import Commune, Organisation
from relais.core.params import MAX_ID, parse_date, parse_id, parse_ids, parse_month
from relais.core.validators import (
    display_phone,
    normalise_phone,
    to_ascii_digits,
    validate_plausible_date,
    validate_postal_code,
    validate_programme_date,
    validate_siret,
)

from ..factories import CommuneFactory, OrganisationFactory
from ..helpers import page_text

# --- Phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("04.68.96.00.00", "+33468960000"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 4 68 00 00 00", "+33468000000"),
        ("06 39 98 00 01", "+33639980001"),  # ARCEP's range for fiction: still a French number
        ("0590 27 00 00", "+590590270000"),  # overseas, written with its leading 0
        ("+34 612 34 56 78", "+34612345678"),  # Spain, the other side of the border
        ("0034 972 12 34 56", "+34972123456"),
        ("612 34 56 78", "+34612345678"),  # nine digits without a 0: how Spaniards write it
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["NaN", "-1", "1e309", "inf", "12345", "06 12 34 56", "+33", "+999 1234", "0" * 40,
     "06 12 34 56 7٨", "０６１２３４５６７８", "06 12 34 56 78 ext. 2"],
)  # fmt: skip
def test_what_is_not_a_phone_number_is_refused_in_french(typed):
    with pytest.raises(ValidationError, match="numéro de téléphone n'est pas valide"):
        normalise_phone(typed)


def test_phone_numbers_are_shown_the_way_people_read_them():
    assert display_phone("+33612345678") == "06 12 34 56 78"
    assert display_phone("+34612345678") == "+34 612 34 56 78"
    assert display_phone("04 68 00 00 00") == "04 68 00 00 00"  # stored before issue 12


@given(st.text(max_size=40))
def test_the_phone_normaliser_returns_e164_or_refuses_and_never_crashes(text):
    try:
        stored = normalise_phone(text)
    except ValidationError:
        return
    assert stored == "" or (stored.startswith("+") and stored[1:].isascii())
    assert normalise_phone(stored) == stored


@pytest.mark.django_db
def test_an_organisation_stores_its_phone_number_in_e164_or_says_why_not():
    organisation = OrganisationFactory(phone="04 68 85 85 85")
    organisation.full_clean()
    assert organisation.phone == "+33468858585"
    organisation.phone = "NaN"
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) == {"phone"}


# --- Identifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["٦٦٥٠٠", "６６５００", "6650٠", "66 50", "6650", "665000"])
def test_a_postal_code_is_five_ascii_digits(value):
    """« ٦٦٥٠٠ » passed str.isdigit() and \\d, and was published in the open data."""
    with pytest.raises(ValidationError, match="5 chiffres"):
        validate_postal_code(value)
    validate_postal_code("66500")


@pytest.mark.django_db
def test_a_commune_with_foreign_digits_is_refused():
    commune = CommuneFactory.build(postal_code="٦٦٥٠٠")
    with pytest.raises(ValidationError) as error:
        commune.full_clean()
    assert set(error.value.message_dict) == {"postal_code"}
    assert not Commune.objects.exists()


def test_a_siret_in_foreign_digits_is_refused_before_its_checksum():
    with pytest.raises(ValidationError, match="14 chiffres"):
        validate_siret("٣" * 14)


def test_foreign_digits_are_repaired_by_the_migrations_helper():
    assert to_ascii_digits("٦٦٥٠٠") == "66500"
    assert to_ascii_digits("６６５００") == "66500"
    assert to_ascii_digits("66a²") == "66a²"  # only decimal digits change


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1), date(1989, 12, 31)])
def test_dates_outside_the_plausible_range_are_refused(day):
    with pytest.raises(ValidationError, match="entre le 01/01/1990 et le 31/12/2100"):
        validate_plausible_date(day)


def test_dates_of_the_programme_start_in_2021():
    validate_programme_date(date(2021, 1, 1))
    validate_programme_date(datetime(2030, 5, 1, 10, 0).astimezone())
    with pytest.raises(ValidationError, match="début du programme"):
        validate_programme_date(date(2020, 12, 31))


@pytest.mark.django_db
def test_a_consent_dated_year_one_is_refused():
    """A beneficiary import read « 01/01/0001 » as a consent date and stored it."""
    from relais.beneficiaries.models import Beneficiary

    person = Beneficiary(last_name="Cade", consent_given_on=date(1, 1, 1), consent_text_version="1")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert set(error.value.message_dict) == {"consent_given_on"}


# --- Raw parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["", None, "abc", "1.5", "-1", "0", "NaN", "1e309", "٣", "１２", " ", "1 2", str(MAX_ID + 1),
     "-99999999999999999999999", "9" * 5000, "\x00"],
)  # fmt: skip
def test_what_is_not_an_id_is_no_id(raw):
    assert parse_id(raw) is None


def test_ids_and_lists_of_ids():
    assert parse_id(" 42 ") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    assert parse_ids(["1,2", "3"]) == (1, 2, 3)
    assert parse_ids([]) == ()
    assert parse_ids(["1,abc"]) is None


def test_dates_and_months_from_parameters_stay_in_range():
    assert parse_date("2026-11-24") == date(2026, 11, 24)
    assert parse_date("9999-12-31") is None and parse_date("0001-01-01") is None
    assert parse_date("2026-02-30") is None and parse_date("abc") is None
    assert parse_month("2026-11") == date(2026, 11, 1)
    assert parse_month("2026-11-24") == date(2026, 11, 1)
    assert parse_month("9999-12") is None and parse_month("2026-13") is None


@pytest.mark.django_db
def test_an_integer_in_lookup_ignores_values_no_column_can_hold():
    """A form's ModelMultipleChoiceField queried ``pk__in=[-99999999999999999999999]``: SQLite
    raised OverflowError and PostgreSQL "bigint out of range" (500)."""
    commune = CommuneFactory()
    huge = -99999999999999999999999
    assert list(Commune.objects.filter(pk__in=[huge, 10**30])) == []
    assert list(Commune.objects.filter(pk__in=[huge, commune.pk])) == [commune]
    assert list(Commune.objects.filter(pk__in=[str(huge)])) == []


def test_integer_columns_accept_on_every_database_what_postgresql_holds():
    """SQLite accepted 99,999,999,999 in a small integer (and so did full_clean, whose range
    comes from the database); PostgreSQL, in production, refuses it."""
    position = Commitment._meta.get_field("position")  # a PositiveSmallIntegerField
    position.run_validators(32767)
    with pytest.raises(ValidationError):
        position.run_validators(99_999_999_999)


# --- NUL characters ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/lieux/", {"q": "abc\x00def"}),
        ("post", "/compte/connexion/", {"username": "a\x00@exemple.fr", "password": "x"}),
        ("get", "/permanences/", {"commune\x00": "x"}),
        ("get", "/inscriptions/ab%00cd/ef/", {}),
    ],
)
def test_a_request_carrying_a_nul_character_is_refused_with_a_french_page(
    client, method, path, data
):
    """psycopg refuses NUL in a query's strings: on PostgreSQL these were 500s."""
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    assert "Requête incorrecte" in page_text(response)


@pytest.mark.django_db
def test_the_api_refuses_a_nul_character_in_json(client):
    response = client.get(
        reverse("api:stats"), {"theme": "\x00"}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 400
    assert "caractère nul" in response.json()["detail"]


@pytest.mark.django_db
def test_a_request_without_nul_goes_through(client):
    assert client.get("/permanences/", {"commune": "Prades"}).status_code == 200
    assert Organisation.objects.count() == 0
