from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.core.demo import DEMO_PASSWORD, DemoContext


def demo_loaders():
    """The ``load`` function of every Relais app that ships a ``demo`` module, in app order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("relais."):
            continue
        module_name = f"{config.name}.demo"
        if util.find_spec(module_name) is not None:
            yield config.label, import_module(module_name).load


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration tirées de la convention Conflent Canigó 2023-2026 "
        "(idempotent) et affiche un identifiant par rôle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise la commande hors mode DEBUG (jamais sur une base de production).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Les données de démonstration ne se chargent qu'en mode DEBUG "
                "(ajoutez --force pour une base de test, jamais en production)."
            )
        ctx = DemoContext(department_code="66")
        with transaction.atomic():
            for label, load in demo_loaders():
                load(ctx)
                if options["verbosity"] > 1:
                    self.stdout.write(f"  {label} : ok")
        self._print_logins(ctx)

    def _print_logins(self, ctx: DemoContext) -> None:
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write("")
        self.stdout.write(f"Identifiants (mot de passe commun : {DEMO_PASSWORD})")
        width = max(len(login["role"]) for login in ctx.logins)
        for login in ctx.logins:
            line = f"  {login['role']:<{width}}  {login['email']}"
            if login.get("totp_secret"):
                line += f"  (2FA : clé {login['totp_secret']})"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Code de double authentification du moment : relais demo-totp "
            "(ou ajoutez la clé dans une application d'authentification)."
        )
