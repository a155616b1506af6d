"""PostgreSQL roles: an owner that migrates, and a runtime role that cannot rewrite the journal.

Triggers alone do not protect the journal from the role that owns its table: an owner may
``ALTER TABLE … DISABLE TRIGGER``, ``DROP TRIGGER`` or ``TRUNCATE``. So the tables belong to an
owner role used only by ``relais migrate`` (``DATABASE_MIGRATION_URL``), and the application
connects (``DATABASE_URL``) as a role holding only what it needs: the usual DML on every table,
but only SELECT and INSERT on the append-only ones. It lives in ``privacy`` because the journal
is why the roles exist; the grants cover every table of the schema.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .models import JournalEntry, JournalVerification

# Rows the application writes once and never changes: SELECT and INSERT only.
APPEND_ONLY_MODELS = (JournalEntry, JournalVerification)
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
# What the runtime role must not hold on the journal: each would let it change an entry or turn
# the triggers off (the owner's ALTER TABLE is no privilege: it comes with ownership).
FORBIDDEN_JOURNAL_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER")


class RoleError(Exception):
    """A French message for the operator: the grant would not protect the journal."""


@contextmanager
def owner_connection():
    """Connect as the tables' owner (DATABASE_MIGRATION_URL) for the time of the block.

    The *default* connection is pointed at the owner's role rather than a second alias: data
    migrations and ``post_migrate`` handlers use the default connection (few pass
    ``schema_editor.connection.alias``), and would otherwise run as the runtime role. Yields
    the runtime role's name (DATABASE_URL's user), to grant it its privileges afterwards.
    """
    owner = settings.DATABASE_MIGRATION
    connection = connections[DEFAULT_DB_ALIAS]
    runtime = connection.settings_dict
    differing = [key for key in ("ENGINE", "NAME", "HOST", "PORT") if owner[key] != runtime[key]]
    if differing:
        raise RoleError(
            "DATABASE_MIGRATION_URL et DATABASE_URL ne désignent pas la même base "
            f"({', '.join(differing)})."
        )
    saved = {key: runtime[key] for key in ("USER", "PASSWORD", "OPTIONS")}
    connection.close()
    runtime.update({key: owner[key] for key in ("USER", "PASSWORD", "OPTIONS") if key in owner})
    try:
        yield saved["USER"]
    finally:
        connection.close()
        runtime.update(saved)


def _one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()


def runtime_role_grant(*, role: str, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give ``role`` exactly the runtime privileges, as the owner connected on ``using``.

    Idempotent: every privilege of ``role`` on the tables is revoked, then granted again, so a
    hand-made grant (UPDATE on the journal, TRUNCATE…) does not survive a re-run. Default
    privileges cover the tables later migrations create; ``relais migrate`` re-runs this anyway.
    Returns the statements run.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("Les rôles n'existent que sous PostgreSQL : SQLite n'a pas de comptes.")
    quote = connection.ops.quote_name
    journal = JournalEntry._meta.db_table
    with transaction.atomic(using=using), connection.cursor() as cursor:
        exists, superuser, owner_member = _one(
            cursor,
            "SELECT count(*) > 0, bool_or(r.rolsuper), "
            "bool_or(pg_has_role(r.oid, c.relowner, 'MEMBER')) "
            "FROM pg_roles r, pg_class c WHERE r.rolname = %s AND c.oid = %s::regclass",
            [role, journal],
        )
        if not exists:
            raise RoleError(f"Le rôle « {role} » n'existe pas.")
        if superuser or owner_member:
            raise RoleError(
                f"Le rôle « {role} » est superutilisateur, propriétaire des tables ou membre de "
                "leur propriétaire : il pourrait réécrire le journal. Transférez la propriété "
                "des tables au rôle propriétaire (docs/operations.md, « Rôles PostgreSQL »)."
            )
        (is_owner,) = _one(
            cursor,
            "SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class "
            "WHERE oid = %s::regclass",
            [journal],
        )
        if not is_owner:
            raise RoleError(
                "Ces droits s'accordent en tant que propriétaire des tables "
                "(DATABASE_MIGRATION_URL)."
            )
        database, schema = _one(cursor, "SELECT current_database(), current_schema()")
        who, where = quote(role), quote(schema)
        append_only = ", ".join(quote(model._meta.db_table) for model in APPEND_ONLY_MODELS)
        statements = [
            f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(database)} TO {who}",
            f"GRANT USAGE ON SCHEMA {where} TO {who}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {where} TO {who}",
            f"REVOKE ALL ON {append_only} FROM {who}, PUBLIC",
            f"GRANT {APPEND_ONLY_PRIVILEGES} ON {append_only} TO {who}",
            # Identity columns: INSERT draws from their sequences.
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT {TABLE_PRIVILEGES} ON TABLES "
            f"TO {who}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements


def journal_protection_problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What lets the connection ``using`` rewrite the journal, in French ([] when nothing does).

    ``relais verify-journal`` prints it: an instance whose roles are not separated (or whose
    service can read the owner's password) should hear about it every day.
    """
    connection = connections[using]
    problems = []
    if settings.DATABASE_MIGRATION:
        problems.append(
            "DATABASE_MIGRATION_URL est lu par ce processus : qui le contrôle a le mot de passe "
            "du propriétaire des tables. Ne le donnez qu'à `relais migrate`."
        )
    if connection.vendor == "sqlite":
        problems.append(
            "base SQLite : le propriétaire du fichier peut tout y modifier ; la clé du journal "
            "et les points de contrôle externes détectent une réécriture, pas les déclencheurs."
        )
        return problems
    if connection.vendor != "postgresql":
        return problems
    with connection.cursor() as cursor:
        privileges = ", ".join(FORBIDDEN_JOURNAL_PRIVILEGES)
        superuser, owner, privileged = _one(
            cursor,
            "SELECT r.rolsuper, pg_has_role(current_user, c.relowner, 'MEMBER'), "
            "has_table_privilege(current_user, c.oid, %s) "
            "FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = %s::regclass",
            [privileges, JournalEntry._meta.db_table],
        )
    if superuser or owner:
        problems.append(
            "le rôle PostgreSQL de l'application est "
            + ("superutilisateur" if superuser else "propriétaire de la table du journal")
            + " : il peut désactiver les déclencheurs et réécrire le journal. Séparez les rôles "
            "(docs/operations.md, « Rôles PostgreSQL »)."
        )
    elif privileged:
        problems.append(
            f"le rôle PostgreSQL de l'application a l'un des droits {privileges} sur le journal. "
            "Relancez `relais migrate` avec DATABASE_MIGRATION_URL, ou "
            "`relais grant-runtime-role`."
        )
    return problems
