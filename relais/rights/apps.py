from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Data-subject rights (GDPR art. 15 to 21): the register's workflows and their effects on
    the records. The register itself (``privacy.models.RightsRequest``) and the opposition
    check stay in ``privacy``, below the apps whose records the rights act on."""

    name = "relais.rights"
    label = "rights"
    verbose_name = "Droits des personnes"
