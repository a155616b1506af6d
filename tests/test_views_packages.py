"""The agreements' and the planning's pages moved into ``views`` packages (issue 18 §3): every
address, name and view of before the move is still there, and no module is named as a
suffix family again.

The table was recorded from the two ``urls.py`` files before the move (commit f8e2a8c), not
from the new ones: name, route inside the app, view function.
"""

import re
from pathlib import Path

import pytest
from django.urls import resolve, reverse

BEFORE_THE_MOVE = [
    ("agreements:list", "", "agreement_list"),
    ("agreements:detail", "<int:pk>/", "agreement_detail"),
    ("agreements:deliberation_detail", "deliberations/<int:pk>/", "deliberation_detail"),
    ("agreements:pdf", "<int:pk>/pdf/", "agreement_pdf"),
    ("agreements:source_file", "<int:pk>/documents/<int:source_pk>/", "source_file"),
    ("agreements:annex_file", "<int:pk>/annexes/<int:number>/fichier/", "annex_file"),
    ("agreements:deliberation_pdf", "deliberations/<int:pk>/pdf/", "deliberation_pdf"),
    ("agreements:deadlines", "echeances/", "deadlines"),
    ("agreements:create", "nouvelle/", "agreement_create"),
    ("agreements:edit", "<int:pk>/modifier/", "agreement_edit"),
    ("agreements:commitment_add", "<int:pk>/engagements/ajouter/", "commitment_add"),
    (
        "agreements:commitment_remove",
        "<int:pk>/engagements/<int:commitment_pk>/retirer/",
        "commitment_remove",
    ),
    ("agreements:signatory_add", "<int:pk>/signataires/ajouter/", "signatory_add"),
    ("agreements:send_for_signature", "<int:pk>/envoyer/", "send_for_signature"),
    (
        "agreements:signature_record",
        "<int:pk>/signataires/<int:signatory_pk>/signature/",
        "signature_record",
    ),
    ("agreements:opposition", "<int:pk>/opposition/", "opposition_record"),
    ("agreements:termination", "<int:pk>/resiliation/", "termination_record"),
    ("agreements:remedy", "<int:pk>/regularisation/", "remedy_record"),
    ("agreements:amendment_prepare", "<int:pk>/avenants/preparer/", "amendment_prepare"),
    ("agreements:amendment_sign", "<int:pk>/avenants/<int:amendment_pk>/signer/", "amendment_sign"),
    (
        "agreements:amendment_withdraw",
        "<int:pk>/avenants/<int:amendment_pk>/retirer/",
        "amendment_withdraw",
    ),
    ("agreements:successor", "<int:pk>/convention-suivante/", "successor_start"),
    ("agreements:insurance_add", "<int:pk>/assurance/ajouter/", "insurance_add"),
    (
        "agreements:insurance_file",
        "<int:pk>/assurance/<int:certificate_pk>/fichier/",
        "insurance_file",
    ),
    ("agreements:contact_add", "<int:pk>/contacts/ajouter/", "contact_edit"),
    ("agreements:contact_edit", "<int:pk>/contacts/<int:contact_pk>/modifier/", "contact_edit"),
    (
        "agreements:contact_delete",
        "<int:pk>/contacts/<int:contact_pk>/supprimer/",
        "contact_delete",
    ),
    ("agreements:communication_list", "communication/", "communication_list"),
    ("agreements:communication_create", "<int:pk>/communication/demander/", "communication_create"),
    (
        "agreements:communication_detail",
        "<int:pk>/communication/<int:request_pk>/",
        "communication_detail",
    ),
    (
        "agreements:communication_withdraw",
        "<int:pk>/communication/<int:request_pk>/retirer/",
        "communication_withdraw",
    ),
    (
        "agreements:communication_file",
        "<int:pk>/communication/<int:request_pk>/maquette/",
        "communication_file",
    ),
    ("agreements:import", "importer/", "import_form"),
    ("agreements:import_confirm", "importer/confirmer/", "import_confirm"),
    ("planning:slot_list", "", "slot_list"),
    ("planning:slot_create", "permanences/nouvelle/", "slot_create"),
    ("planning:slot_detail", "permanences/<int:pk>/", "slot_detail"),
    ("planning:slot_edit", "permanences/<int:pk>/modifier/", "slot_edit"),
    ("planning:slot_delete", "permanences/<int:pk>/supprimer/", "slot_delete"),
    ("planning:occurrence", "permanences/<int:pk>/seance/<str:day>/", "occurrence"),
    ("planning:checks", "controles/", "planning_checks"),
    ("planning:coverage", "couverture/", "coverage"),
    ("planning:coverage_xlsx", "couverture/export.xlsx", "coverage_xlsx"),
    ("planning:coverage_csv", "couverture/export.csv", "coverage_csv"),
    ("planning:closure_list", "fermetures/", "closure_list"),
    ("planning:closure_create", "fermetures/nouvelle/", "closure_create"),
    ("planning:closure_edit", "fermetures/<int:pk>/modifier/", "closure_edit"),
    ("planning:closure_delete", "fermetures/<int:pk>/supprimer/", "closure_delete"),
    ("planning:my_week", "ma-semaine/", "my_week"),
    ("planning:planner", "planificateur/", "planner_page"),
    ("planning:planner_run", "planificateur/calculer/", "planner_run"),
    ("planning:planner_detail", "planificateur/<int:pk>/", "planner_detail"),
    ("planning:planner_status", "planificateur/<int:pk>/etat/", "planner_status"),
    ("planning:planner_apply", "planificateur/<int:pk>/appliquer/", "planner_apply"),
]

SAMPLE = {"int": "7", "str": "2027-01-04"}


def _filled(route: str) -> tuple[str, dict]:
    """The route with sample values, and the keyword arguments that produce them."""
    kwargs = {}

    def sample(match):
        kwargs[match["name"]] = SAMPLE[match["kind"]]
        return SAMPLE[match["kind"]]

    return re.sub(r"<(?P<kind>\w+):(?P<name>\w+)>", sample, route), kwargs


@pytest.mark.parametrize(("name", "route", "function"), BEFORE_THE_MOVE)
def test_every_page_keeps_its_address_name_and_view(name, route, function):
    path, kwargs = _filled(route)
    url = reverse(name, kwargs=kwargs)
    assert url.endswith("/" + path) or (path == "" and url.endswith("/"))
    view = resolve(url).func
    assert view.__name__ == function
    app = name.split(":")[0]
    assert view.__module__.startswith(f"relais.{app}.views."), view.__module__


def test_no_module_is_named_as_a_suffix_family():
    """« views_more.py », « planner_db.py », « services_appointments.py »: a feature's home is
    a module or a package named by what it holds, not a suffix of another module."""
    root = Path(__file__).resolve().parent.parent / "relais"
    suffixed = re.compile(r"^(views|services|forms|demo)_\w+\.py$|^\w+_(more|db)\.py$")
    found = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and suffixed.match(path.name)
    )
    assert found == []
