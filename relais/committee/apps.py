from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "relais.committee"
    label = "committee"
    verbose_name = "Comité technique et suivi (art. 3.4)"

    def ready(self) -> None:
        # Committee meetings as a source of the advisers' busy time (relais.team.busy).
        from .busy_sources import register

        register()
