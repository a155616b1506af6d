"""Demo data: people helped at the seed's places, with clearly fictitious names.

Surnames are Mediterranean plants (« Arbousier », « Lentisque »…), so nobody mistakes a demo
person for a real one. No phone numbers and no e-mail addresses. The rows carry the marker
``DEMO_CONSENT_VERSION`` (the version of the information notice they « accepted »): a re-run
deletes exactly those rows and recreates them, so the row counts stay the same. Most activities
of the demo stay anonymous (see relais.activities.demo).
"""

import random
from datetime import date

from relais.core.demo import DemoContext

from .models import Beneficiary
from .normalise import name_key

DEMO_CONSENT_VERSION = "démo"
DEMO_COUNT = 160

FIRST_NAMES = [
    "Josette",
    "Marcel",
    "Yvette",
    "André",
    "Paulette",
    "Jordi",
    "Montserrat",
    "Raymond",
    "Odette",
    "Francis",
    "Nadia",
    "Karim",
    "Sylvie",
    "Thierry",
    "Brigitte",
    "Pascal",
    "Inès",
    "Kevin",
    "Lucie",
    "Mathis",
    "Fatima",
    "Joan",
    "Núria",
    "Germaine",
    "Roger",
    "Colette",
]
SURNAMES = [
    "Amandier",
    "Arbousier",
    "Bruyère",
    "Cade",
    "Caroubier",
    "Ciste",
    "Figuier",
    "Genêt",
    "Grenadier",
    "Lentisque",
    "Micocoulier",
    "Myrte",
    "Néflier",
    "Romarin",
    "Sarriette",
    "Térébinthe",
    "Filaire",
    "Asphodèle",
    "Immortelle",
    "Euphorbe",
]
COMMUNES = [
    "Prades",
    "Vinça",
    "Marquixanes",
    "Catllar",
    "Sahorre",
    "Ria-Sirach",
    "Los Masos",
    "Villefranche-de-Conflent",
    "Baillestavy",
    "Codalet",
    "Eus",
    "Molitg-les-Bains",
]
# (birth decade start, weight): the permanences mostly see older residents.
BIRTH_DECADES = [
    (1930, 8),
    (1940, 22),
    (1950, 28),
    (1960, 18),
    (1970, 10),
    (1980, 7),
    (1990, 5),
    (2000, 2),
]


def load(ctx: DemoContext) -> None:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not a secret
    Beneficiary.objects.filter(consent_text_version=DEMO_CONSENT_VERSION).delete()
    communes = {name: ctx.commune(name) for name in COMMUNES}
    decades, weights = zip(*BIRTH_DECADES, strict=True)
    people = []
    for _ in range(DEMO_COUNT):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        birth_year = rng.choices(decades, weights)[0] + rng.randrange(10)
        retired = birth_year < 1962
        people.append(
            Beneficiary(
                first_name=first_name,
                last_name=last_name,
                name_key=name_key(last_name, first_name),
                birth_year=birth_year,
                gender=rng.choices(["female", "male", "unknown"], [58, 39, 3])[0],
                social_status="retired"
                if retired and rng.random() < 0.9
                else rng.choices(
                    ["employed", "unemployed", "in_school", "unknown"], [35, 40, 5, 20]
                )[0],
                commune=communes[rng.choice(COMMUNES)],
                consent_given_on=date(2024, 1, 1),
                consent_text_version=DEMO_CONSENT_VERSION,
            )
        )
    ctx.objects["beneficiaries"] = Beneficiary.objects.bulk_create(people)
