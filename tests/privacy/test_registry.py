"""The retention table covers every model holding personal data (meta-test), and is coherent."""

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    RetentionRegistry,
    RetentionRule,
    holds_personal_data,
    personal_data_fields,
    registry,
)


def _all_models():
    return [m for m in apps.get_models() if not m._meta.proxy]


def test_every_model_with_personal_data_is_in_the_retention_table():
    registered = {rule.model for rule in registry.rules()}
    declared_free = set(registry.no_personal_data)
    missing = []
    for model in _all_models():
        label = model._meta.label
        if label in registered or label in declared_free:
            continue
        reasons = holds_personal_data(model)
        if reasons:
            missing.append(f"{label} ({'; '.join(reasons)})")
    assert not missing, (
        "Modèles contenant des données personnelles absents de la table des durées de "
        "conservation / models with personal data missing from the retention table: "
        + ", ".join(missing)
        + ". Déclarez-les dans le privacy.py de leur application : register(RetentionRule(…)) "
        "ou declare_no_personal_data(…, reason=…) — see relais/privacy/registry.py."
    )


def test_a_registered_model_lists_every_field_that_looks_personal():
    problems = []
    for label in {rule.model for rule in registry.rules()}:
        model = apps.get_model(label)
        covered = set()
        for rule in registry.rules_for(label):
            covered |= set(rule.fields) | set(rule.kept)
        uncovered = set(personal_data_fields(model)) - covered
        if uncovered:
            problems.append(f"{label}: {sorted(uncovered)}")
    assert not problems, (
        "Champs d'allure personnelle ni purgés ni justifiés (kept) / personal-looking fields "
        f"neither purged nor kept with a reason: {problems}"
    )


def test_every_rule_names_real_fields_and_a_complete_record_line():
    for rule in registry.rules():
        model = rule.model_class
        for name in (*rule.fields, *rule.kept):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                pytest.fail(f"{rule.category}: {rule.model} has no field {name!r}")
        for attribute in (
            "label",
            "processing",
            "data_subjects",
            "purpose",
            "legal_basis",
            "term_label",
            "start_event",
            "recipients",
        ):
            assert getattr(rule, attribute).strip(), f"{rule.category}: empty {attribute}"
        assert isinstance(rule.due_queryset(), models.QuerySet)
        assert rule.due_queryset().model is model


def test_the_allow_list_names_existing_models_with_a_reason():
    for label, reason in registry.no_personal_data.items():
        apps.get_model(label)
        assert len(reason) > 10, label
        assert not registry.rules_for(label), f"{label} is both registered and declared free"


def test_the_public_officials_and_communes_are_declared_free_of_personal_data():
    free = registry.no_personal_data
    for label in (
        "core.Commune",
        "core.Organisation",
        "agreements.Signatory",
        "agreements.DeliberationMember",
    ):
        assert label in free


def test_the_built_in_rules_cover_accounts_sessions_devices_and_login_logs():
    models_covered = {rule.model for rule in registry.rules()}
    assert {
        "accounts.User",
        "team.Advisor",
        "sessions.Session",
        "otp_totp.TOTPDevice",
        "otp_static.StaticDevice",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "admin.LogEntry",
    } <= models_covered


# --- The detector itself, on models that are not installed -----------------------------------


class _Unregistered(models.Model):  # noqa: DJ008
    """A model of a new app."""

    kind = models.CharField(max_length=10)
    mobile = models.CharField(max_length=20)

    class Meta:
        app_label = "privacy_fake"


class _Marked(models.Model):  # noqa: DJ008
    personal_data = True
    code = models.CharField(max_length=10)

    class Meta:
        app_label = "privacy_fake"


class _Documented(models.Model):  # noqa: DJ008
    """Personal data: kept 24 months."""

    code = models.CharField(max_length=10)

    class Meta:
        app_label = "privacy_fake"


class _Clean(models.Model):  # noqa: DJ008
    code = models.CharField(max_length=10)
    starts_on = models.DateField()

    class Meta:
        app_label = "privacy_fake"


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (_Unregistered, "fields mobile"),
        (_Marked, "personal_data = True"),
        (_Documented, "docstring mentions personal data"),
    ],
)
def test_the_detector_flags_names_markers_and_docstrings(model, expected):
    assert expected in holds_personal_data(model)


def test_the_detector_leaves_a_model_without_personal_data_alone():
    assert holds_personal_data(_Clean) == []


@pytest.mark.parametrize(
    "name", ["first_name", "last_name", "phone", "birth_date", "address", "ip_address", "notes"]
)
def test_the_detector_knows_the_usual_field_names(name):
    fake = type(
        f"_Fake_{name}",
        (models.Model,),
        {
            "__module__": __name__,
            name: models.CharField(max_length=10),
            "Meta": type("Meta", (), {"app_label": "privacy_fake"}),
        },
    )
    assert personal_data_fields(fake) == [name]


# --- The rule and the registry refuse incoherent declarations --------------------------------


def _rule(**overrides):
    values = {
        "category": "test_rule",
        "model": "accounts.User",
        "fields": ("first_name",),
        "label": "Test",
        "processing": "Test",
        "data_subjects": "Test",
        "purpose": "Test",
        "legal_basis": "Test",
        "term": relativedelta(months=1),
        "term_label": "1 mois",
        "start_event": "Test",
        "due": lambda cutoff: apps.get_model("accounts.User").objects.none(),
        "action": RetentionAction.DELETE,
    }
    values.update(overrides)
    return RetentionRule(**values)


def test_an_anonymising_rule_needs_a_value_for_every_field():
    with pytest.raises(ImproperlyConfigured, match="no anonymous value"):
        _rule(action=RetentionAction.ANONYMISE, replacements={})
    _rule(action=RetentionAction.ANONYMISE, replacements={"first_name": "X"})


def test_a_category_cannot_be_registered_twice_nor_a_free_model_registered():
    table = RetentionRegistry()
    table.register(_rule())
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        table.register(_rule())
    table.declare_no_personal_data("core.Commune", reason="Référentiel public.")
    with pytest.raises(ImproperlyConfigured, match="no personal data"):
        table.register(_rule(category="other", model="core.Commune"))
    with pytest.raises(ImproperlyConfigured, match="say why"):
        table.declare_no_personal_data("core.Organisation", reason=" ")
