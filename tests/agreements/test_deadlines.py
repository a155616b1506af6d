"""Agreement deadlines: the list, the coordinators' page and dashboard, and the e-mail alerts."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from relais.accounts.enums import Role
from relais.agreements.deadlines import Kind, Severity, upcoming_deadlines
from relais.agreements.enums import AgreementStatus, TerminationKind
from relais.agreements.models import AlertLog

from ..factories import UserFactory
from ..helpers import committed, count_tags, page_text
from .factories import make_agreement, make_signed_agreement

pytestmark = pytest.mark.django_db


def kinds(deadlines):
    return {d.kind: d for d in deadlines}


@pytest.fixture
def signed(department, partner):
    """Signed by all on 20 March 2024 at the latest; ends at the latest on 22 June 2026."""
    return make_signed_agreement(department, partner)


def test_ended_agreement_is_listed_with_the_next_one_to_prepare(signed):
    today = date(2026, 11, 26)
    assert signed.timeline(today).status == AgreementStatus.ENDED
    ended = kinds(upcoming_deadlines(today))[Kind.ENDED]
    assert ended.due_on == date(2026, 6, 22)
    assert ended.label == "Terminée le 22 juin 2026"
    assert ended.hint == "Préparer la convention suivante."
    assert ended.severity == Severity.OVERDUE


def test_ended_agreement_with_a_successor_drops_off_after_90_days(signed, department, partner):
    make_agreement(department, partner, title="Convention suivante", predecessor=signed)
    assert Kind.ENDED in kinds(upcoming_deadlines(date(2026, 9, 20)))  # 90 days after the end
    listed = [d for d in upcoming_deadlines(date(2026, 9, 21)) if d.agreement == signed]
    assert Kind.ENDED not in kinds(listed)


def test_opposition_deadline_two_months_before_the_anniversary(signed):
    items = kinds(upcoming_deadlines(date(2025, 1, 10)))
    opposition = items[Kind.OPPOSITION_DEADLINE]
    assert opposition.due_on == date(2025, 1, 20)
    assert opposition.severity == Severity.SOON
    assert "20 mars 2025" in opposition.label
    anniversary = items[Kind.ANNIVERSARY]
    assert anniversary.due_on == date(2025, 3, 20)
    assert anniversary.severity == Severity.LATER
    assert "reconduction tacite" in anniversary.label
    assert Kind.HARD_END not in items  # 22 June 2026 is beyond the 120-day horizon


def test_passed_opposition_deadline_is_not_listed(signed):
    items = kinds(upcoming_deadlines(date(2025, 2, 1)))
    assert Kind.OPPOSITION_DEADLINE not in items
    assert items[Kind.ANNIVERSARY].due_on == date(2025, 3, 20)


def test_hard_end_within_the_horizon(signed):
    items = kinds(upcoming_deadlines(date(2026, 5, 1)))
    assert items[Kind.HARD_END].due_on == date(2026, 6, 22)
    assert items[Kind.HARD_END].severity == Severity.LATER
    assert Kind.OPPOSITION_DEADLINE not in items  # no renewal before the hard end


def test_blanks_of_the_parties_are_listed(signed):
    blanks = kinds(upcoming_deadlines(date(2025, 1, 10)))[Kind.PARTY_BLANKS]
    assert blanks.due_on is None
    assert "numéro de la délibération" in blanks.label
    assert "date de la délibération" in blanks.label
    assert "Médiathèques Conflent Canigó (test)" in blanks.label


def test_unsigned_agreement_lists_who_has_not_signed(department, partner):
    agreement = make_agreement(
        department,
        partner,
        sent_for_signature_on=date(2024, 3, 1),
        signed_on=[date(2024, 3, 5), None, None],
    )
    items = kinds(upcoming_deadlines(date(2024, 3, 20)))
    unsigned = items[Kind.UNSIGNED]
    assert unsigned.agreement == agreement
    assert unsigned.due_on == date(2024, 3, 31)  # reminder 30 days after sending
    assert unsigned.severity == Severity.SOON
    assert "2 signatures à recueillir : Jean-Louis JALLAT, Yves DELCOR" in unsigned.label
    assert items[Kind.PARTY_BLANKS].severity == Severity.SOON  # blocks the signature
    assert kinds(upcoming_deadlines(date(2024, 4, 15)))[Kind.UNSIGNED].severity == "overdue"


def test_draft_and_undated_items_come_last(department, partner, signed):
    make_agreement(department, partner, title="Brouillon 2027")
    items = upcoming_deadlines(date(2025, 1, 10))
    assert items[0].kind == Kind.OPPOSITION_DEADLINE
    dated = [d.due_on for d in items if d.due_on]
    assert dated == sorted(dated)
    assert all(d.due_on is None for d in items[len(dated) :])
    assert Kind.DRAFT in kinds(items)


def test_notice_running(signed):
    signed.termination_kind = TerminationKind.FAULT
    signed.notice_received_on = date(2025, 5, 2)
    signed.save()
    termination = kinds(upcoming_deadlines(date(2025, 5, 10)))[Kind.TERMINATION]
    assert termination.due_on == date(2025, 6, 1)
    assert "Résiliation en cours" in termination.label


def test_deadlines_of_given_agreements_only(signed, department, other_partner):
    other = make_signed_agreement(department, other_partner)
    items = upcoming_deadlines(date(2025, 1, 10), agreements=[other])
    assert {d.agreement for d in items} == {other}


# --- Page and dashboard -----------------------------------------------------------------------


@pytest.mark.now("2026-11-26T10:00")  # the agreement's dates below are fixed
def test_deadlines_page_for_coordinators(coordinator_client, administrator_client, signed):
    response = coordinator_client.get(reverse("agreements:deadlines"))
    assert response.status_code == 200
    assert count_tags(response.content.decode(), "h1") == 1
    text = page_text(response)
    assert "Échéances des conventions" in text
    assert "Terminée le 22 juin 2026" in text
    # An ended agreement's blanks no longer call for action.
    assert "À compléter pour" not in text
    assert signed.get_absolute_url() in response.content.decode()
    assert administrator_client.get(reverse("agreements:deadlines")).status_code == 200


def test_deadlines_page_empty_state(coordinator_client):
    text = page_text(coordinator_client.get(reverse("agreements:deadlines")))
    assert "Aucune échéance dans les 120 prochains jours" in text


@pytest.mark.parametrize("persona", ["advisor_client", "partner_client", "committee_client"])
def test_deadlines_page_refused_to_others(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("agreements:deadlines")).status_code == 403


def test_coordinator_dashboard_shows_agreement_deadlines(coordinator_client, department, partner):
    make_agreement(department, partner, title="Brouillon à finir")
    page = page_text(coordinator_client.get(reverse("dashboards:home")))
    assert "Échéances des conventions" in page
    assert "Brouillon à finaliser" in page
    assert "Toutes les échéances des conventions" in page


def test_navigation_has_agreements(coordinator_client, partner_client, advisor_client):
    assert "Conventions" in page_text(coordinator_client.get(reverse("dashboards:home")))
    assert "Conventions" in page_text(partner_client.get(reverse("dashboards:home")))
    advisor_home = advisor_client.get(reverse("dashboards:home")).content.decode()
    assert reverse("agreements:list") not in advisor_home


# --- Alerts -----------------------------------------------------------------------------------


def run_alerts(*args) -> str:
    out = StringIO()
    committed(call_command, "send-agreement-alerts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def coordinators(coordinator):
    second = UserFactory(role=Role.COORDINATOR)
    UserFactory(role=Role.COORDINATOR, is_active=False)
    UserFactory(role=Role.ADVISOR)
    return [coordinator, second]


def test_alerts_are_sent_once_to_every_active_coordinator(signed, coordinators, settings):
    settings.RELAIS_SITE_URL = "https://relais.example.test"
    output = run_alerts("--today", "2025-01-10")
    assert "2 alerte(s) envoyée(s), 0 déjà envoyée(s)" in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in coordinators)
    message = mail.outbox[0]
    assert "opposition" in message.subject.lower()
    assert signed.title in message.body
    assert "20 janvier 2025" in message.body
    assert f"https://relais.example.test/conventions/{signed.pk}/" in message.body
    assert AlertLog.objects.count() == 2

    output = run_alerts("--today", "2025-01-10")
    assert "0 alerte(s) envoyée(s), 2 déjà envoyée(s)" in output
    assert len(mail.outbox) == 2
    # Later runs before the deadline do not repeat it either.
    run_alerts("--today", "2025-01-15")
    assert len(mail.outbox) == 2


def test_dry_run_sends_and_records_nothing(signed, coordinators):
    output = run_alerts("--dry-run", "--today", "2025-01-10")
    assert "2 alerte(s) à envoyer" in output
    assert mail.outbox == []
    assert not AlertLog.objects.exists()


def test_opposition_deadline_is_alerted_30_days_ahead_only(signed, coordinators):
    run_alerts("--today", "2024-12-20")  # deadline 20 January 2025: 31 days ahead
    assert mail.outbox == []


def test_unsigned_alert_after_30_days(department, partner, coordinators):
    make_agreement(
        department, partner, sent_for_signature_on=date(2024, 3, 1), signed_on=[None, None, None]
    )
    run_alerts("--today", "2024-03-31")
    assert mail.outbox == []
    run_alerts("--today", "2024-04-01")
    assert len(mail.outbox) == 2
    assert "Signatures en attente" in mail.outbox[0].subject
    run_alerts("--today", "2024-04-20")
    assert len(mail.outbox) == 2


def test_hard_end_and_ended_alerts(signed, coordinators):
    run_alerts("--today", "2026-04-22")  # 61 days before the hard end
    assert mail.outbox == []
    run_alerts("--today", "2026-04-23")
    assert [m.subject for m in mail.outbox].count(mail.outbox[0].subject) == 2
    assert "Fin prochaine" in mail.outbox[0].subject
    run_alerts("--today", "2026-07-01")
    ended = [m for m in mail.outbox if "terminée" in m.subject]
    assert len(ended) == 2 and "Terminée le 22 juin 2026" in ended[0].body
    run_alerts("--today", "2026-11-26")
    assert len([m for m in mail.outbox if "terminée" in m.subject]) == 2


def test_no_coordinator_no_alert(signed):
    assert "Aucun coordinateur actif" in run_alerts("--today", "2025-01-10")
    assert mail.outbox == []
