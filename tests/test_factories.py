"""Every model of ``relais`` has a factory_boy factory that builds a valid row (architecture.md).

The models are discovered from the app registry and the factories from every
``tests/**/factories.py``, so a new model without a factory fails here, and so does a factory
whose defaults stop passing the model's validation (``full_clean``: fields, ``clean()`` and
constraints).
"""

import importlib
from pathlib import Path

import factory
import pytest
from django.apps import apps

TESTS = Path(__file__).resolve().parent


def _factory_modules():
    for path in sorted(TESTS.rglob("factories.py")):
        parts = path.relative_to(TESTS.parent).with_suffix("").parts
        yield importlib.import_module(".".join(parts))


def _factories_by_model() -> dict[str, type]:
    """The factory of each model (``<Model>Factory`` when several build it, as
    ``DepartmentFactory`` and ``OrganisationFactory`` do)."""
    found: dict[str, type] = {}
    for module in _factory_modules():
        for name, value in vars(module).items():
            if not (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                continue
            model = value._meta.get_model_class()
            if name == f"{model.__name__}Factory" or model._meta.label not in found:
                found[model._meta.label] = value
    return found


def _relais_models() -> list[str]:
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("relais.") and not model._meta.proxy
    )


FACTORIES = _factories_by_model()


def test_every_model_has_a_factory():
    missing = [label for label in _relais_models() if label not in FACTORIES]
    assert missing == [], f"Modèles sans factory (tests/<app>/factories.py) : {missing}"


def _validating(model_factory: type) -> type:
    """The factory, but its row is built, validated as a form would (``full_clean``), then
    saved. A factory that writes through a service (``_create`` of its own) or gets an existing
    row (``django_get_or_create``, a singleton) is checked after."""
    own_create = any(
        "_create" in vars(klass)
        for klass in model_factory.__mro__
        if not klass.__module__.startswith("factory.")
    )
    if own_create or model_factory._meta.django_get_or_create:
        return model_factory

    class Validating(model_factory):
        @classmethod
        def _create(cls, model_class, *args, **kwargs):
            instance = model_class(*args, **kwargs)
            instance.full_clean()
            instance.save()
            return instance

    return Validating


@pytest.mark.django_db
@pytest.mark.parametrize("label", [label for label in _relais_models() if label in FACTORIES])
def test_the_factory_builds_valid_rows(label):
    model_factory = _validating(FACTORIES[label])
    first = model_factory.create()
    first.full_clean()
    assert type(first)._default_manager.filter(pk=first.pk).exists()
    # A second row: sequences keep unique fields apart.
    model_factory.create().full_clean()
