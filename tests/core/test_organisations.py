import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from relais.core.enums import OrganisationKind
from relais.core.services import organisation_create
from relais.core.validators import validate_siret


def _luhn_complete(prefix: str) -> str:
    for last in "0123456789":
        candidate = prefix + last
        total = 0
        for i, c in enumerate(reversed(candidate)):
            v = int(c) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return candidate
    raise AssertionError


VALID_SIRET = _luhn_complete("2266000170001")


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_every_luhn_valid_siret_passes(prefix):
    if prefix.startswith("356000000"):
        return  # La Poste has its own rule
    validate_siret(_luhn_complete(prefix))


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13), st.integers(0, 13), st.integers(1, 9)
)
def test_changing_one_digit_breaks_the_checksum(prefix, position, delta):
    if prefix.startswith("356000000"):
        return
    siret = list(_luhn_complete(prefix))
    siret[position] = str((int(siret[position]) + delta) % 10)
    with pytest.raises(ValidationError):
        validate_siret("".join(siret))


def test_siret_format_messages():
    with pytest.raises(ValidationError, match="exactement 14 chiffres"):
        validate_siret("1234")
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siret(VALID_SIRET[:-1] + str((int(VALID_SIRET[-1]) + 1) % 10))
    validate_siret("356 000 000 00001")  # La Poste: digit sum multiple of 5


@pytest.mark.django_db
def test_organisation_siret_is_optional_normalised_and_validated():
    organisation_create(kind=OrganisationKind.ASSOCIATION, name="Sans SIRET")
    dept = organisation_create(
        kind=OrganisationKind.DEPARTMENT,
        name="Département",
        siret=f"{VALID_SIRET[:3]} {VALID_SIRET[3:6]} {VALID_SIRET[6:9]} {VALID_SIRET[9:]}",
    )
    assert dept.siret == VALID_SIRET
    with pytest.raises(ValidationError) as error:
        organisation_create(kind=OrganisationKind.EPCI, name="Mauvais", siret="12345678901234")
    assert "siret" in error.value.message_dict
    with pytest.raises(ValidationError):
        organisation_create(kind=OrganisationKind.EPCI, name="Doublon", siret=VALID_SIRET)
