"""``relais grant-runtime-role ROLE``: the application's role gets only what it needs.

``relais migrate`` does it by itself when DATABASE_MIGRATION_URL is set; this command is for
the first separation of the roles, or to undo privileges granted by hand. It runs as the
tables' owner: DATABASE_MIGRATION_URL's role when it is set, else DATABASE_URL's.
"""

from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from relais.privacy.db_roles import RoleError, owner_connection, runtime_role_grant


class Command(BaseCommand):
    help = (
        "Accorde au rôle PostgreSQL de l'application ses seuls droits : lecture et écriture des "
        "tables, lecture et ajout seul pour le journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="rôle PostgreSQL de l'application (DATABASE_URL)")

    def handle(self, *args, role, **options):
        try:
            with owner_connection() if settings.DATABASE_MIGRATION else nullcontext():
                runtime_role_grant(role=role)
        except RoleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Droits du rôle « {role} » : lecture et écriture des tables, lecture et ajout seul "
            "pour le journal et ses vérifications (ni UPDATE, ni DELETE, ni TRUNCATE, ni "
            "déclencheur)."
        )
