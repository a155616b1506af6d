"""Demo data, part 1: communes and the two parties of the seed's convention.

``relais demo`` calls the ``load(ctx)`` of every installed Relais app that has a ``demo`` module,
in INSTALLED_APPS order; each one is idempotent (re-running leaves the same rows).
"""

from dataclasses import dataclass, field
from importlib import resources

from .enums import OrganisationKind
from .models import Commune
from .services import communes_import, organisation_upsert

DEMO_PASSWORD = "demo-relais-2024"  # noqa: S105 - printed on purpose, demo accounts only
DEMO_EMAIL_DOMAIN = "demo.relais.test"

DEPARTMENT = {
    "name": "Département des Pyrénées-Orientales",
    "short_name": "Département des Pyrénées-Orientales",
    "kind": OrganisationKind.DEPARTMENT,
    "address": "Hôtel du Département, 24 quai Sadi Carnot",
    "postal_code": "66906",
    "city": "Perpignan",
    "commune": "Perpignan",
    "representative_name": "Hermeline MALHERBE",
    "representative_title": "Présidente du Département",
}

PARTNER = {
    "name": ("Réseau intercommunal des médiathèques de la Communauté de Communes Conflent Canigó"),
    "short_name": "Médiathèques Conflent Canigó",
    "kind": OrganisationKind.EPCI,
    "address": "Château Pams – Route de Ria",
    "postal_code": "66500",
    "city": "Prades",
    "commune": "Prades",
    "representative_name": "Jean-Louis JALLAT",
    "representative_title": "Président",
}


@dataclass
class DemoContext:
    """What the apps' demo loaders share: the parties, the places and the printed logins."""

    department_code: str
    objects: dict = field(default_factory=dict)
    logins: list[dict] = field(default_factory=list)

    def commune(self, name: str) -> Commune:
        return Commune.objects.get(department_code=self.department_code, name=name)


def _organisation(ctx: DemoContext, data: dict):
    defaults = {k: v for k, v in data.items() if k != "name"}
    defaults["commune"] = ctx.commune(defaults["commune"])
    organisation, _ = organisation_upsert(name=data["name"], defaults=defaults)
    return organisation


def load(ctx: DemoContext) -> None:
    text = resources.files("relais.core").joinpath("data/communes-66.csv").read_text("utf-8")
    report = communes_import(text=text, department_code=ctx.department_code)
    if not report.ok:  # the bundled file is valid; this guards against editing it badly
        raise RuntimeError("\n".join(report.errors))
    ctx.objects["department"] = _organisation(ctx, DEPARTMENT)
    ctx.objects["partner"] = _organisation(ctx, PARTNER)
