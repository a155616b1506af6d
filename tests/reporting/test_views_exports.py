"""Dashboard page, charts and exports: scoping, formats, streaming, no personal data."""

import csv
import io
from datetime import date

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from relais.core import spreadsheets
from relais.reporting import charts, disclosure, exports, stats
from relais.reporting.stats import StatsFilters

from .conftest import CANARY_NAME, CANARY_NOTE

pytestmark = pytest.mark.django_db
YEAR = "start=2025-01&end=2025-12"


def _body(response) -> bytes:
    if isinstance(response, StreamingHttpResponse) or response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _assert_no_personal_data(payload: bytes):
    for canary in (CANARY_NAME, CANARY_NAME.upper(), CANARY_NOTE, "Canarimoto", "CANARIMOTO"):
        assert canary.encode() not in payload


def test_dashboard_shows_figures_charts_and_tables(coordinator_client, data):
    response = coordinator_client.get(reverse("reporting:dashboard") + "?" + YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<svg" not in html  # never inlined (CSP: matplotlib's <style>)
    assert "Données du graphique « Thématiques »" in html
    assert data["place"].name in html
    _assert_no_personal_data(response.content)
    assert response.context["result"].totals.activities == 7


@pytest.mark.parametrize(
    ("persona", "exact"),
    [("advisor_client", False), ("committee_client", False), ("administrator_client", True)],
)
def test_every_role_sees_statistics(request, persona, exact, data):
    """The controller's staff sees the exact 7; the others the same page under statistical
    disclosure control (7 activities made of 1-to-4 cells: the total is secret too)."""
    client = request.getfixturevalue(persona)
    response = client.get(reverse("reporting:dashboard") + "?" + YEAR)
    assert response.status_code == 200
    result, html = response.context["result"], response.content.decode()
    assert result.exact is exact
    if exact:
        assert result.totals.activities == 7 and "Chiffres exacts" in html
    else:
        assert result.totals.activities is disclosure.SECRET and "secret statistique" in html
        assert "Les chiffres exacts restent consultables par la coordination" in html


def test_partner_staff_sees_only_their_places(partner_client, data, settings):
    # Scoping on a handful of activities: disclosure control off (threshold 1 hides nothing).
    settings.RELAIS_DISCLOSURE_THRESHOLD = 1
    url = reverse("reporting:dashboard") + "?" + YEAR
    response = partner_client.get(url)
    assert response.context["result"].totals.activities == 4
    assert data["other_place"].name not in response.content.decode()
    other = f"{url}&place={data['other_place'].pk}"
    assert partner_client.get(other).context["result"].totals.activities == 4  # invalid choice


def test_filter_form_applies_place(coordinator_client, data):
    url = reverse("reporting:dashboard") + f"?{YEAR}&place={data['other_place'].pk}"
    assert coordinator_client.get(url).context["result"].totals.activities == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302


def test_charts_are_accessible_svg():
    svg = charts.bar_chart("Thématiques", [("E-mail", 4), ("Santé", 1)], unit="activités")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and ">Thématiques</title>" in svg
    assert "E-mail : 4 activités" in svg  # <desc>
    assert "E-mail" in svg.split("</desc>")[1]  # the label is text in the drawing
    line = charts.series_chart(
        stats.monthly_series(StatsFilters(date(2025, 1, 1), date(2025, 12, 1)))
    )
    assert ">Activités et accompagnements sur 12 mois</title>" in line
    assert charts.data_uri(svg).startswith("data:image/svg+xml;base64,")


def _csv(client, path, **params):
    query = "&".join([YEAR, *[f"{k}={v}" for k, v in params.items()]])
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert response.streaming
    return _body(response)


@pytest.mark.parametrize(("params", "delimiter"), [({}, ","), ({"sep": "semicolon"}, ";")])
def test_activity_csv(coordinator_client, data, params, delimiter):
    payload = _csv(coordinator_client, reverse("reporting:export_activities", args=["csv"]),
                   **params)  # fmt: skip
    assert not payload.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8")), delimiter=delimiter))
    assert rows[0][:3] == ["Identifiant", "Date", "Type"]
    assert "Conseiller" in rows[0] and "Thématiques (codes Coop)" in rows[0]
    assert len(rows) == 1 + 7
    assert any("Email" in row[-1] for row in rows[1:])
    _assert_no_personal_data(payload)


def test_activity_csv_bom_and_partner_scope(partner_client, data):
    url = reverse("reporting:export_activities", args=["csv"])
    payload = _csv(partner_client, url, sep="semicolon", bom="1")
    assert payload.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 4
    assert "Conseiller" not in rows[0]  # adviser names: the team only
    _assert_no_personal_data(payload)


def test_committee_cannot_export_activities(committee_client, data):
    url = reverse("reporting:export_activities", args=["csv"]) + "?" + YEAR
    assert committee_client.get(url).status_code == 403
    url = reverse("reporting:export_statistics", args=["csv"]) + "?" + YEAR
    assert committee_client.get(url).status_code == 200


def _ods_sheets(payload: bytes) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def test_activity_xlsx_and_ods(coordinator_client, data):
    from openpyxl import load_workbook

    url = reverse("reporting:export_activities", args=["xlsx"]) + "?" + YEAR
    response = coordinator_client.get(url)
    assert response.streaming
    payload = _body(response)
    sheet = load_workbook(io.BytesIO(payload), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Identifiant" and len(rows) == 8
    text = " ".join(str(v) for row in rows for v in row)
    assert CANARY_NAME not in text and CANARY_NOTE not in text

    url = reverse("reporting:export_activities", args=["ods"]) + "?" + YEAR
    response = coordinator_client.get(url)
    assert response.streaming  # written as the rows are read, whatever their number
    payload = _body(response)
    assert payload[30:38] == b"mimetype"  # first zip entry, as ODF requires
    ods_rows = _ods_sheets(payload)["Activités"]
    assert ods_rows[0] == [str(cell) for cell in rows[0]] and len(ods_rows) == 8
    by_id = {row[0]: row for row in ods_rows[1:]}
    workshop = data["activities"][3]
    assert by_id[workshop.pk][ods_rows[0].index("Participants")] == 6  # numbers stay numbers
    assert by_id[workshop.pk][1] == date(2025, 3, 11)  # dates stay dates
    _assert_no_personal_data(payload)


def test_ods_stream_big_files_use_zip64(data):
    """Above ODS_ZIP32_MAX_ROWS rows the XML may pass 4 GiB: the entry is written as Zip64,
    which readers still open."""
    rows = [[i, f"ligne {i}", date(2025, 1, 1), None, True, 1.5] for i in range(1, 4)]
    for zip64 in (False, True):
        sheets = [("Feuille", list("abcdef"), rows)]
        payload = b"".join(spreadsheets.ods_stream(sheets, zip64=zip64))
        sheet = _ods_sheets(payload)["Feuille"]
        assert sheet[1] == [1, "ligne 1", date(2025, 1, 1), "", "oui", 1.5]
        assert len(sheet) == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_statistics_exports(coordinator_client, data, fmt):
    url = reverse("reporting:export_statistics", args=[fmt]) + "?" + YEAR
    response = coordinator_client.get(url)
    assert response.status_code == 200
    payload = _body(response)
    _assert_no_personal_data(payload)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(payload.decode())))
        assert ["Indicateurs", "Activités", "", "7"] in rows
        assert ["Tranches d'âge", "70 ans et plus", "Accompagnements", "2"] in rows
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(payload), read_only=True)
        assert "Indicateurs" in workbook.sheetnames and "Série mensuelle" in workbook.sheetnames
    else:
        sheets = _ods_sheets(payload)
        assert ["Activités", 7] in sheets["Indicateurs"]
        assert "Série mensuelle" in sheets


def test_csv_stream_is_lazy(data):
    rows = exports.activity_rows(StatsFilters(date(2025, 1, 1), date(2025, 12, 1)),
                                 with_advisor=False)  # fmt: skip
    stream = spreadsheets.csv_stream(["a"], rows)
    assert next(stream).startswith(b"a")  # header before any row is read


def test_the_committees_statistics_export_is_under_disclosure_control(committee_client, data):
    url = reverse("reporting:export_statistics", args=["csv"]) + "?" + YEAR
    rows = list(csv.reader(io.StringIO(_body(committee_client.get(url)).decode("utf-8"))))
    values = [row[3] for row in rows[1:]]
    assert "secret statistique" in values
    assert not [v for v in values if v.isdigit() and 0 < int(v) < 5]
