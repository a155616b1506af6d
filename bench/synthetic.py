"""A realistic synthetic dataset for benchmarks: ``python -m bench.synthetic --activities N``.

Used by the benchmarks only (``bench.stats``, ``bench.scale``, ``bench.load``,
``bench.export_job``), so it lives beside them, out of the application (issue 18 §6).

Scales with N (about 25,000 activities per adviser over 3 years at large N — a national-scale
load on one instance): ``advisers = clamp(N / 25,000, 8, 400)``, two places per adviser's team
of 4 (3 places each), one partner per 6 places, one commune per place, one beneficiary per 8
activities. Activities are spread over the 3 years up to today, working days only: 92 %
individual (a third linked to a beneficiary, 6 % at home or remote), 8 % collective workshops
of 3–12 people; 1–3 themes each; durations, ages, genders and statuses weighted like the demo.
Beneficiaries are anonymous (no name, no contact): nothing personal is invented.

Fast: values are drawn with NumPy in batches; on PostgreSQL rows are loaded with ``COPY``
(psycopg 3) with explicit ids, on SQLite with ``bulk_create``. Not idempotent: meant for a
throw-away database (each run adds a new, separately named set).
"""

from __future__ import annotations

import io
import secrets
import time
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from relais.activities.enums import (
    AgeBracket,
    Equipment,
    Gender,
    SocialStatus,
    Theme,
    count_field,
)

BATCH = 100_000
DAYS = 3 * 365
GENDERS = list(Gender.values)
AGES = list(AgeBracket.values)
STATUSES = list(SocialStatus.values)
EQUIPMENT = list(Equipment.values)
THEMES = list(Theme.values)
P_GENDER = [0.57, 0.38, 0.05]
P_AGE = np.array([0.5, 1, 3, 9, 20, 24, 30.5, 12]) / 100
P_STATUS = [0.02, 0.18, 0.12, 0.5, 0.18]
P_EQUIPMENT = [0.35, 0.45, 0.10, 0.02, 0.08]
DURATIONS = np.array([15, 30, 45, 60, 90, 120])
P_DURATION = [0.10, 0.35, 0.25, 0.20, 0.07, 0.03]
P_THEME = np.array([4, 14, 2, 4, 9, 14, 3, 3, 6, 6, 1, 3, 5, 1, 2, 1, 1, 2, 22] + [6] * 11, float)
P_THEME /= P_THEME.sum()
COUNT_COLUMNS = (
    [count_field("gender", v) for v in GENDERS]
    + [count_field("age", v) for v in AGES]
    + [count_field("status", v) for v in STATUSES]
)
ACTIVITY_COLUMNS = [
    "id", "created_at", "updated_at", "advisor_id", "kind", "date", "duration_minutes",
    "location_kind", "place_id", "beneficiary_id", "autonomy", "referral", "title", "level",
    "participants_count", *COUNT_COLUMNS, *[f"equipment_{v}" for v in EQUIPMENT],
    "private_notes", "idempotency_key",
]  # fmt: skip


def scale(activities: int) -> dict:
    advisors = int(min(400, max(8, activities // 25_000)))
    places = max(4, advisors * 3 // 4 * 2 // 2)
    return {
        "advisors": advisors,
        "places": places,
        "partners": max(2, places // 6),
        "communes": places,
        "beneficiaries": max(10, activities // 8),
    }


def _reference_data(sizes: dict, tag: str, rng: np.random.Generator) -> dict:
    from relais.accounts.enums import Role
    from relais.accounts.models import User
    from relais.core.enums import OrganisationKind
    from relais.core.models import Commune, Organisation
    from relais.places.enums import PlaceKind
    from relais.places.models import Place
    from relais.team.enums import AdvisorKind
    from relais.team.models import Advisor

    communes = Commune.objects.bulk_create(
        [
            Commune(
                name=f"Commune {tag}-{i}",
                postal_code="66000",
                department_code="66",
                latitude=Decimal("42.6") + Decimal(i % 50) / 100,
                longitude=Decimal("2.4") + Decimal(i // 50 % 50) / 100,
            )
            for i in range(sizes["communes"])
        ]
    )
    partners = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.EPCI,
                name=f"Structure {tag}-{i}",
                commune=communes[i % len(communes)],
            )
            for i in range(sizes["partners"])
        ]
    )
    places = Place.objects.bulk_create(
        [
            Place(
                name=f"Lieu {tag}-{i}",
                slug=f"lieu-{tag}-{i}",
                kind=PlaceKind.MEDIA_LIBRARY,
                partner=partners[i % len(partners)],
                commune=communes[i],
            )
            for i in range(sizes["places"])
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"conseiller-{tag}-{i}@synthetique.test",
                first_name="Conseiller",
                last_name=f"{tag}-{i}",
                role=Role.ADVISOR,
                password="!",  # noqa: S106 - unusable password marker
            )
            for i in range(sizes["advisors"])
        ]
    )
    advisors = Advisor.objects.bulk_create(
        [
            Advisor(user=user, kind=AdvisorKind.CNFS, home_commune=communes[i % len(communes)])
            for i, user in enumerate(users)
        ]
    )
    # Each adviser works at 3 places (teams of 4 advisers sharing places).
    advisor_places = np.array(
        [[(i // 4 * 3 + k) % len(places) for k in range(3)] for i in range(len(advisors))]
    )
    return {
        "communes": np.array([c.pk for c in communes]),
        "places": np.array([p.pk for p in places]),
        "advisors": np.array([a.pk for a in advisors]),
        "advisor_places": advisor_places,
    }


def _beneficiaries(count: int, communes: np.ndarray, rng, *, postgres: bool) -> dict:
    from relais.beneficiaries.models import Beneficiary

    gender = rng.choice(len(GENDERS), count, p=P_GENDER)
    status = rng.choice(len(STATUSES), count, p=P_STATUS)
    birth = rng.integers(1935, 2008, count)
    commune = communes[rng.integers(0, len(communes), count)]
    now = timezone.now()
    start = _next_id(Beneficiary)
    ids = np.arange(start, start + count)
    if postgres:
        columns = ["id", "created_at", "updated_at", "first_name", "last_name", "name_key",
                   "birth_year", "gender", "social_status", "commune_id", "phone", "email",
                   "consent_text_version"]  # fmt: skip
        lines = (
            f"{i}\t{now.isoformat()}\t{now.isoformat()}\t\t\t\t{b}\t{GENDERS[g]}\t"
            f"{STATUSES[s]}\t{c}\t\t\t\n"
            for i, b, g, s, c in zip(ids.tolist(), birth.tolist(), gender.tolist(),
                                     status.tolist(), commune.tolist(), strict=True)
        )  # fmt: skip
        _copy(Beneficiary._meta.db_table, columns, lines)
        _reset_sequence(Beneficiary)
    else:
        Beneficiary.objects.bulk_create(
            [
                Beneficiary(
                    id=i, birth_year=b, gender=GENDERS[g], social_status=STATUSES[s], commune_id=c
                )
                for i, b, g, s, c in zip(
                    ids.tolist(),
                    birth.tolist(),
                    gender.tolist(),
                    status.tolist(),
                    commune.tolist(),
                    strict=True,
                )
            ],
            batch_size=2000,
        )
    return {"ids": ids, "gender": gender, "status": status, "birth": birth}


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _copy(table: str, columns: list[str], lines) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        buffer = io.StringIO()
        for n, line in enumerate(lines, 1):
            buffer.write(line)
            if n % 20_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - model table
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def generate(activities: int, *, seed: int = 42, today: date | None = None, log=print) -> dict:
    """Create the dataset; returns the sizes and timings."""
    from relais.activities.models import Activity, ActivityTheme

    postgres = connection.vendor == "postgresql"
    rng = np.random.default_rng(seed)
    tag = secrets.token_hex(3)
    sizes = scale(activities)
    started = time.perf_counter()
    with transaction.atomic():
        ref = _reference_data(sizes, tag, rng)
        people = _beneficiaries(sizes["beneficiaries"], ref["communes"], rng, postgres=postgres)
    log(f"référentiels : {sizes} ({time.perf_counter() - started:.1f} s)")
    today = today or timezone.localdate()
    first_day = today - timedelta(days=DAYS)
    weekdays = np.array([d for d in range(DAYS) if (first_day + timedelta(d)).weekday() < 5])
    day_strings = [(first_day + timedelta(int(d))).isoformat() for d in range(DAYS)]
    now = timezone.now().isoformat()
    next_id = _next_id(Activity)
    key_prefix = secrets.token_hex(10)
    done = 0
    while done < activities:
        n = min(BATCH, activities - done)
        ids = np.arange(next_id + done, next_id + done + n)
        advisor_index = rng.integers(0, len(ref["advisors"]), n)
        place = ref["places"][ref["advisor_places"][advisor_index, rng.integers(0, 3, n)]]
        day = weekdays[rng.integers(0, len(weekdays), n)]
        collective = rng.random(n) < 0.08
        away = (~collective) & (rng.random(n) < 0.06)
        duration = np.where(
            collective, rng.choice([90, 120, 120], n), rng.choice(DURATIONS, n, p=P_DURATION)
        )
        participants = np.where(collective, rng.integers(3, 13, n), 1)
        linked = (~collective) & (rng.random(n) < 0.33)
        person = rng.integers(0, len(people["ids"]), n)
        gender = np.where(linked, people["gender"][person], rng.choice(3, n, p=P_GENDER))
        status = np.where(linked, people["status"][person], rng.choice(5, n, p=P_STATUS))
        age = rng.choice(len(AGES), n, p=P_AGE)
        equipment = rng.choice(len(EQUIPMENT), n, p=P_EQUIPMENT)
        theme_count = rng.choice([1, 1, 2, 2, 3], n)
        themes = rng.choice(len(THEMES), (n, 3), p=P_THEME)
        rows = zip(ids.tolist(), advisor_index.tolist(), place.tolist(), day.tolist(),
                   collective.tolist(), away.tolist(), duration.tolist(), participants.tolist(),
                   linked.tolist(), person.tolist(), gender.tolist(), status.tolist(),
                   age.tolist(), equipment.tolist(), strict=True)  # fmt: skip
        activity_lines, theme_pairs = [], []
        for i, (pk, a, p, d, coll, away_, dur, count, link, who, g, s, ag, eq) in enumerate(rows):
            counts = [0] * len(COUNT_COLUMNS)
            counts[g] = count
            counts[3 + ag] = count
            counts[3 + len(AGES) + s] = count
            equip = ["f"] * len(EQUIPMENT)
            equip[eq] = "t"
            values = [
                pk, now, now, int(ref["advisors"][a]),
                "collective" if coll else "individual", day_strings[d], dur,
                ("home" if pk % 2 else "remote") if away_ else "place",
                r"\N" if away_ else p,
                int(people["ids"][who]) if link else r"\N",
                "" if coll else "guided", "", "Atelier numérique" if coll else "",
                "beginner" if coll else "", count, *counts, *equip, "",
                f"{key_prefix[:8]}-{key_prefix[8:12]}-4{key_prefix[13:16]}-a{key_prefix[17:20]}"
                f"-{pk:012x}",
            ]  # fmt: skip
            activity_lines.append("\t".join(map(str, values)) + "\n")
            for t in sorted(set(themes[i, : theme_count[i]].tolist())):
                theme_pairs.append((pk, THEMES[t]))
        if postgres:
            _copy(Activity._meta.db_table, ACTIVITY_COLUMNS, activity_lines)
            _copy(ActivityTheme._meta.db_table, ["activity_id", "theme"],
                  (f"{pk}\t{t}\n" for pk, t in theme_pairs))  # fmt: skip
        else:
            _bulk_sqlite(activity_lines, theme_pairs)
        done += n
        log(f"{done:,} activités ({time.perf_counter() - started:.0f} s)".replace(",", " "))
    if postgres:
        _reset_sequence(Activity)
        # VACUUM cannot run inside a transaction (a test's, or a caller's atomic block): the
        # planner statistics then come from autovacuum instead.
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                from relais.beneficiaries.models import Beneficiary

                for model in (Activity, ActivityTheme, Beneficiary):  # hint bits, statistics
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return {**sizes, "activities": activities, "seconds": time.perf_counter() - started}


def _bulk_sqlite(activity_lines: list[str], theme_pairs: list) -> None:
    from relais.activities.models import Activity, ActivityTheme

    objects = []
    for line in activity_lines:
        values = line.rstrip("\n").split("\t")
        kwargs = {}
        for column, value in zip(ACTIVITY_COLUMNS, values, strict=True):
            if value == r"\N":
                value = None
            elif column.startswith("equipment_"):
                value = value == "t"
            kwargs[column] = value
        objects.append(Activity(**kwargs))
    Activity.objects.bulk_create(objects, batch_size=1000)
    ActivityTheme.objects.bulk_create(
        [ActivityTheme(activity_id=pk, theme=t) for pk, t in theme_pairs], batch_size=2000
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.synthetic --activities N [--seed S] [--no-refresh]``, against the
    database of ``DATABASE_URL`` (a throw-away one: rows are added, never replaced)."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-refresh", action="store_true", help="Sans calculer les statistiques.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    result = generate(args.activities, seed=args.seed, log=print)
    print(f"{args.activities} activités créées en {result['seconds']:.1f} s.")
    if not args.no_refresh:
        from relais.reporting.rollup import rebuild

        rebuild()
        print("Statistiques calculées.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
