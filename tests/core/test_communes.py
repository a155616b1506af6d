"""Importing the communes of a département: all or nothing, line-numbered French errors."""

from importlib import resources

import pytest
from django.core.management import CommandError, call_command

from relais.core.models import Commune
from relais.core.services import communes_import

pytestmark = pytest.mark.django_db

BUNDLED = resources.files("relais.core").joinpath("data/communes-66.csv")


def test_bundled_file_imports_the_226_communes_and_reimport_changes_nothing():
    text = BUNDLED.read_text("utf-8")
    report = communes_import(text=text, department_code="66")
    assert (report.ok, report.created, report.updated) == (True, 226, 0)
    prades = Commune.objects.get(name="Prades")
    assert (prades.postal_code, str(prades.latitude), str(prades.longitude)) == (
        "66500",
        "42.61070",
        "2.42760",
    )
    again = communes_import(text=text, department_code="66")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 226)
    assert Commune.objects.count() == 226


def test_an_updated_row_updates_the_commune():
    communes_import(
        text="nom,code_postal,latitude,longitude\nPrades,66500,42.6,2.4\n", department_code="66"
    )
    report = communes_import(
        text="nom,code_postal,latitude,longitude\nprades,66501,42.7,2.5\n", department_code="66"
    )
    assert report.updated == 1
    assert Commune.objects.get().postal_code == "66501"


def test_invalid_rows_are_reported_by_line_and_nothing_is_imported():
    text = (
        "nom,code_postal,latitude,longitude\n"
        "Prades,66500,42.6107,2.4276\n"
        ",66000,42.1,2.1\n"
        "Vinça,6632,42.6431,2.5225\n"
        "Catllar,66500,142.0,2.4\n"
        "Prades,66500,42.6,2.4\n"
        "Sahorre,66360,nord,2.35\n"
    )
    report = communes_import(text=text, department_code="66")
    assert report.errors == [
        "Ligne 3 : le nom est vide.",
        "Ligne 4 : code postal « 6632 » invalide (5 chiffres attendus).",
        "Ligne 5 : latitude 142.0 hors de l'intervalle [-90 ; 90].",
        "Ligne 6 : la commune « Prades » figure déjà ligne 2.",
        "Ligne 7 : latitude « nord » n'est pas un nombre.",
    ]
    assert Commune.objects.count() == 0


def test_missing_columns_are_named():
    report = communes_import(text="nom;cp\nPrades;66500\n", department_code="66")
    assert report.errors == [
        "Ligne 1 : colonne(s) manquante(s) : code_postal, latitude, longitude "
        "(attendu : nom, code_postal, latitude, longitude)."
    ]


def test_semicolon_and_decimal_comma_from_a_french_spreadsheet():
    report = communes_import(
        text="Nom;Code_Postal;Latitude;Longitude\nAjaccio;20000;41,9192;8,7386\n",
        department_code="2A",
    )
    assert report.ok and Commune.objects.get().department_code == "2A"


def test_empty_file_is_an_error():
    assert communes_import(
        text="nom,code_postal,latitude,longitude\n", department_code="66"
    ).errors == ["Le fichier ne contient aucune commune."]


def test_command_prints_errors_and_fails(tmp_path, capsys):
    bad = tmp_path / "communes.csv"
    bad.write_text("nom,code_postal,latitude,longitude\nPrades,ABCDE,42,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="aucune commune importée"):
        call_command("import-communes", str(bad), "--department", "66")
    assert "Ligne 2 : code postal « ABCDE » invalide" in capsys.readouterr().err
    assert Commune.objects.count() == 0


def test_command_gives_line_numbered_errors_for_nul_bytes_long_names_and_foreign_digits(
    tmp_path, capsys
):
    """Issue 12: a NUL byte or a 300-character name gave a traceback (PostgreSQL cannot store a
    NUL; the name overflowed its column), and « ٦٦٥٠٠ » passed for a postal code."""
    bad = tmp_path / "communes.csv"
    bad.write_text(
        "nom,code_postal,latitude,longitude\n"
        "Prades,66500,42.6107,2.4276\n"
        "Vin\x00ça,66320,42.6431,2.5225\n"
        f"{'Saint-' * 50}Paul,66220,42.8,2.6\n"
        "Catllar,٦٦٥٠٠,42.63,2.41\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="3 ligne\\(s\\) invalide\\(s\\) : aucune commune"):
        call_command("import-communes", str(bad), "--department", "66")
    assert capsys.readouterr().err.splitlines() == [
        "Ligne 3 : caractère nul (\\x00) : la ligne est illisible.",
        "Ligne 4 : le nom dépasse 100 caractères (304).",
        "Ligne 5 : code postal « ٦٦٥٠٠ » invalide (5 chiffres attendus).",
    ]
    assert Commune.objects.count() == 0


def test_command_refuses_an_impossible_department_code_in_french(tmp_path):
    good = tmp_path / "communes.csv"
    good.write_text("nom,code_postal,latitude,longitude\nPrades,66500,42.6,2.4\n")
    with pytest.raises(CommandError, match="au plus 3 caractères"):
        call_command("import-communes", str(good), "--department", "66666")
    assert Commune.objects.count() == 0


def test_command_imports_the_bundled_file(capsys):
    call_command("import-communes", str(BUNDLED))
    assert "226 créée(s)" in capsys.readouterr().out


def test_command_reports_a_missing_file():
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import-communes", "/nulle/part.csv")


def test_an_insee_column_is_read_kept_and_checked():
    """The open data publishes the commune's official code when the import gave it."""
    header = "nom,code_postal,latitude,longitude,code_insee\n"
    report = communes_import(text=header + "Prades,66500,42.6,2.4,66149\n", department_code="66")
    assert report.ok and Commune.objects.get().insee_code == "66149"
    # A later file without the column keeps the code.
    communes_import(
        text="nom,code_postal,latitude,longitude\nPrades,66500,42.6,2.4\n", department_code="66"
    )
    assert Commune.objects.get().insee_code == "66149"
    bad = communes_import(text=header + "Prades,66500,42.6,2.4,6614\n", department_code="66")
    assert bad.errors == ["Ligne 2 : code INSEE « 6614 » invalide (ex. : 66149)."]
    assert Commune.objects.get().insee_code == "66149"
