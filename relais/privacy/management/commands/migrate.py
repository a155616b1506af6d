"""``relais migrate``: Django's migrate, as the tables' owner when DATABASE_MIGRATION_URL is set.

With separate PostgreSQL roles (docs/operations.md, « Rôles PostgreSQL ») the application's role
cannot create or alter tables. Given the owner's URL, this command migrates connected as the
owner, then grants DATABASE_URL's role its runtime privileges again, so that the tables a
migration created are usable and the journal stays append-only for it. Without it, nothing
changes: Django's migrate as DATABASE_URL's role.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS

from relais.privacy.db_roles import RoleError, owner_connection, runtime_role_grant


class Command(DjangoMigrateCommand):
    def execute(self, *args, **options):
        if not settings.DATABASE_MIGRATION or options["database"] != DEFAULT_DB_ALIAS:
            return super().execute(*args, **options)
        try:
            with owner_connection() as runtime_role:
                output = super().execute(*args, **options)
                self._grant(runtime_role, options["verbosity"])
        except RoleError as error:
            raise CommandError(str(error)) from error
        return output

    def _grant(self, role: str, verbosity: int) -> None:
        if settings.DATABASE_MIGRATION["ENGINE"] != "django.db.backends.postgresql":
            return
        if role == settings.DATABASE_MIGRATION["USER"]:
            self.stderr.write(
                f"DATABASE_URL et DATABASE_MIGRATION_URL utilisent le même rôle « {role} » : le "
                "journal n'est pas protégé contre lui."
            )
            return
        runtime_role_grant(role=role)
        if verbosity:
            self.stdout.write(
                f"Droits du rôle « {role} » : lecture et écriture des tables, ajout seul au "
                "journal."
            )
