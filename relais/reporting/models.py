"""Monthly and daily roll-ups of the activities: the statistics read a few rows, not millions.

Four tables with the same measure columns (``MEASURE_FIELDS``):

* ``ActivityMonthlyStat``, at three grains (``enums.Grain``): one row per (month, place,
  adviser, kind, commune) — FINE, for figures by adviser —, one per (month, place, kind,
  commune) — PLACE, the same summed over the advisers, for figures by place, partner or
  commune —, and one per (month, kind) — COARSE, for figures over every place;
* ``ActivityThemeMonthlyStat``: the same plus ``theme`` — themes are multi-valued, so an
  activity with two themes counts once in each theme row (and once in the first table).

Why three: at 10 M activities (400 advisers) a year of FINE rows is about 90,000 rows, of
PLACE rows about 16,000, of COARSE rows 24 — and the dashboard's p95 must stay under 50 ms
(docs/performance.md). Every measure is a sum, so coarser grains add up from the FINE rows.

``ActivityDailyStat`` and ``ActivityThemeDailyStat``: the same per day, PLACE and COARSE
grains, for the days of a period that do not fill their month (whole months read the monthly
rows, the edge days the daily ones).

On PostgreSQL each table has a unique index over its keys, NULLS NOT DISTINCT (migration
0005; SQLite has no such index), so a write adds its delta with one
``INSERT … ON CONFLICT DO UPDATE`` per table.

``commune`` is empty for an activity at a place (the place's commune is read from the place),
else (at home, remote…) the commune of the beneficiary when one is linked and known. Rows are
written by ``relais.reporting.rollup``: kept up to date by every write to the activities, in
its transaction (``rollup.StatsChange``), rebuilt whole by ``relais refresh-stats``. No
personal data: counts only, no link to a beneficiary. Foreign keys carry no database
constraint (``db_constraint=False``) so a roll-up never blocks the deletion of a place or an
adviser (both are protected by the activities that reference them anyway).
"""

from django.db import models

from relais.activities.enums import ALL_COUNT_FIELDS, ActivityKind, Theme

from .enums import Grain

DURATION_BUCKETS = [
    # (column, upper bound in minutes (inclusive) or None, label)
    ("duration_15", 15, "15 min ou moins"),
    ("duration_30", 30, "16 à 30 min"),
    ("duration_45", 45, "31 à 45 min"),
    ("duration_60", 60, "46 min à 1 h"),
    ("duration_90", 90, "1 h à 1 h 30"),
    ("duration_120", 120, "1 h 30 à 2 h"),
    ("duration_more", None, "Plus de 2 h"),
]
DURATION_FIELDS = [name for name, _, _ in DURATION_BUCKETS]

# Measures summed by the statistics; see relais.reporting.stats for their meaning.
BASE_MEASURES = [
    "activities",
    "individual",
    "collective",
    "accompaniments",
    "workshop_participants",
    "minutes",
    "linked",
    "new_beneficiaries",
]
MEASURE_FIELDS = BASE_MEASURES + ALL_COUNT_FIELDS + DURATION_FIELDS

# The layout of the roll-up rows. ``StatsRefresh.layout`` records the one the rows were built
# with; while they differ (a release changed the rows), figures are computed from the activities
# until ``relais refresh-stats`` rebuilds them. 1: FINE and COARSE grains; 2: PLACE grain added;
# 3: a place's commune no longer stored (read from the place), rows kept by the writes;
# 4: daily rows (PLACE and COARSE grains) for the days a period does not fill of a month.
LAYOUT = 4


def _fk(model: str, verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the composite indexes of the Meta classes lead with these columns
        null=True,
        blank=True,
        related_name="+",
    )


class StatBase(models.Model):
    """The keys and measures every roll-up row has; the period column is the subclass's."""

    grain = models.PositiveSmallIntegerField("grain", choices=Grain.choices, default=Grain.FINE)
    place = _fk("places.Place", "lieu")
    advisor = _fk("team.Advisor", "conseiller")
    commune = _fk("core.Commune", "commune")
    kind = models.CharField("type", max_length=10, choices=ActivityKind.choices)

    # Never negative, but no CHECK constraint: a write adds its delta (negative for a deletion)
    # by INSERT … ON CONFLICT DO UPDATE, and PostgreSQL checks the candidate row — the delta —
    # before it finds the conflict. ``rollup`` refuses a delta that leaves a value below zero.
    activities = models.IntegerField(default=0)
    individual = models.IntegerField(default=0)
    collective = models.IntegerField(default=0)
    accompaniments = models.IntegerField(default=0)
    workshop_participants = models.IntegerField(default=0)
    minutes = models.BigIntegerField(default=0)
    linked = models.IntegerField(default=0)
    new_beneficiaries = models.IntegerField(default=0)
    locals().update({name: models.IntegerField(default=0) for name in ALL_COUNT_FIELDS})
    locals().update({name: models.IntegerField(default=0) for name in DURATION_FIELDS})

    class Meta:
        abstract = True


class MonthlyStatBase(StatBase):
    month = models.DateField("mois")  # first day of the month

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.get_kind_display()} · {self.activities} activité(s)"


class DailyStatBase(StatBase):
    """One day's rows, PLACE and COARSE grains only (never an adviser: a period of days with
    an adviser reads that adviser's few activities, by the index on adviser and date)."""

    day = models.DateField("jour")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.get_kind_display()} · {self.activities} activité(s)"


class ActivityMonthlyStat(MonthlyStatBase):
    class Meta:
        verbose_name = "statistique mensuelle"
        verbose_name_plural = "statistiques mensuelles"
        # Place and commune filters read PLACE rows (FINE rows with an adviser filter): the
        # grain in their indexes keeps the other grain's rows out of the scan. Adviser filters
        # only ever read FINE rows, the only ones with an adviser.
        indexes = [
            models.Index(fields=["grain", "month"], name="stat_month"),
            models.Index(fields=["place", "grain", "month"], name="stat_place_month"),
            models.Index(fields=["advisor", "month"], name="stat_advisor_month"),
            models.Index(fields=["commune", "grain", "month"], name="stat_commune_month"),
        ]


class ActivityThemeMonthlyStat(MonthlyStatBase):
    theme = models.CharField("thématique", max_length=30, choices=Theme.choices)

    class Meta:
        verbose_name = "statistique mensuelle par thématique"
        verbose_name_plural = "statistiques mensuelles par thématique"
        # A theme's rows at the PLACE grain (the places and communes of the dashboard filtered
        # by a theme) are read from the index alone: a theme is a fifteenth of the rows, one
        # or two a page, and reading them from the table took 19 of the dashboard's 38 ms at
        # 10 M activities (6 ms index-only, docs/performance.md). Its measures make every
        # update a non-HOT one; the (grain, month, theme) index it replaces (the keys' unique
        # index serves those reads) keeps the write's cost where it was. SQLite ignores the
        # included columns (``models.W040``, silenced in the settings).
        indexes = [
            models.Index(
                fields=["grain", "theme", "month"],
                include=["place", "commune", "activities", "accompaniments"],
                name="stat_theme_by_theme",
            ),
            models.Index(fields=["commune", "grain", "month"], name="stat_theme_commune_month"),
            models.Index(fields=["place", "grain", "month"], name="stat_theme_place_month"),
            models.Index(fields=["advisor", "month"], name="stat_theme_advisor_month"),
        ]


class ActivityDailyStat(DailyStatBase):
    """The days a period does not fill of its first and last month (15–20 November) read
    these rows: at most sixty days of places, instead of those days' activities."""

    class Meta:
        verbose_name = "statistique quotidienne"
        verbose_name_plural = "statistiques quotidiennes"
        indexes = [
            models.Index(fields=["grain", "day"], name="stat_day"),
            models.Index(fields=["place", "grain", "day"], name="stat_day_place"),
            models.Index(fields=["commune", "grain", "day"], name="stat_day_commune"),
        ]


class ActivityThemeDailyStat(DailyStatBase):
    theme = models.CharField("thématique", max_length=30, choices=Theme.choices)

    class Meta:
        verbose_name = "statistique quotidienne par thématique"
        verbose_name_plural = "statistiques quotidiennes par thématique"
        indexes = [
            models.Index(fields=["grain", "day", "theme"], name="stat_day_theme"),
            models.Index(fields=["grain", "theme", "day"], name="stat_day_by_theme"),
            models.Index(fields=["place", "grain", "day"], name="stat_day_theme_place"),
            models.Index(fields=["commune", "grain", "day"], name="stat_day_theme_commune"),
        ]


class StatsRefresh(models.Model):
    """Singleton (pk=1): the layout the roll-up rows were last rebuilt with, and when."""

    # Unused since the writes keep the roll-ups (layout 3); kept to spare a migration.
    watermark = models.DateTimeField("activités modifiées jusqu'au", null=True, blank=True)
    # The roll-up layout the rows were rebuilt with (``LAYOUT``): until it matches, the
    # statistics are computed from the activities and the writes leave the rows alone.
    layout = models.PositiveSmallIntegerField("version des agrégats", default=0)
    refreshed_at = models.DateTimeField("dernière mise à jour", null=True, blank=True)

    class Meta:
        verbose_name = "mise à jour des statistiques"

    def __str__(self) -> str:
        return f"Statistiques à jour au {self.refreshed_at}"
