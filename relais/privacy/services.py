"""The purge: destroy or anonymise what the retention table says is due.

Statistics survive through each rule's own choice: an anonymising rule keeps the row (and so
every count that joins to it) without the personal fields; a deleting rule either concerns
rows no statistic needs (sessions, login logs) or provides its own ``destroy`` service that
keeps anonymous figures first (e.g. beneficiaries: their activities keep their counts).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .enums import RetentionAction
from .journal import journal_append
from .models import PurgeRun
from .registry import RetentionRule, registry

logger = logging.getLogger(__name__)

CHUNK = 500
# What remains of an admin history line about a purged row.
PURGED_REPR = "[données purgées]"


@dataclass
class CategoryResult:
    rule: RetentionRule
    count: int = 0
    error: str = ""


@dataclass
class PurgeReport:
    run_for: date
    dry_run: bool
    results: list[CategoryResult] = field(default_factory=list)
    run: PurgeRun | None = None

    @property
    def total(self) -> int:
        return sum(result.count for result in self.results)

    @property
    def errors(self) -> list[str]:
        return [f"{r.rule.category} : {r.error}" for r in self.results if r.error]


def purge_moment(today: date | None) -> datetime:
    """The instant the terms are measured from: now, or midnight (local time) of ``today``."""
    if today is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time.min))


def _scrub_admin_history(rule: RetentionRule, pks: list) -> None:
    """Django's admin history repeats a row's ``str()`` (often a name): blank it too."""
    model = rule.model_class
    if model is LogEntry:
        return
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).update(object_repr=PURGED_REPR)


def _anonymise(rule: RetentionRule, instance) -> None:
    for name, value in rule.replacements.items():
        setattr(instance, name, value(instance) if callable(value) else value)
    # Only the anonymous values are validated: an old row's unrelated defect must never keep
    # personal data alive past its term.
    others = [f.name for f in instance._meta.fields if f.name not in rule.replacements]
    instance.clean_fields(exclude=others)
    instance.save()
    if rule.anonymise is not None:
        rule.anonymise(instance)


def _apply(rule: RetentionRule, pks: list) -> None:
    model = rule.model_class
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        _scrub_admin_history(rule, chunk)
        if rule.action == RetentionAction.ANONYMISE:
            for instance in model.objects.filter(pk__in=chunk):
                _anonymise(rule, instance)
        elif rule.destroy is not None:
            for instance in model.objects.filter(pk__in=chunk):
                rule.destroy(instance)
        else:
            # Plain SQL-level cascade (e.g. recovery codes with their device).
            model.objects.filter(pk__in=chunk).delete()


def purge_run(*, today: date | None = None, dry_run: bool = False) -> PurgeReport:
    """Walk the retention table and destroy or anonymise every row whose term has run out.

    Each category is one transaction, with its proof in the journal (category, count, date:
    no personal data), so a failure in one category neither hides nor undoes the others; the
    run itself is recorded as a ``PurgeRun``. Idempotent: what was purged is no longer due.
    With ``dry_run`` nothing is written: the report only counts what is due.
    """
    moment = purge_moment(today)
    report = PurgeReport(run_for=timezone.localdate(moment), dry_run=dry_run)
    run = None
    if not dry_run:
        run = PurgeRun(run_for=report.run_for)
        run.full_clean()
        run.save()
        report.run = run
    for rule in registry.rules():
        result = CategoryResult(rule=rule)
        report.results.append(result)
        try:
            pks = list(rule.due_queryset(moment).order_by("pk").values_list("pk", flat=True))
            result.count = len(pks)
            if dry_run or not pks:
                continue
            with transaction.atomic():
                _apply(rule, pks)
                journal_append(
                    actor=None,
                    action="purge",
                    subject=("retention_category", rule.category),
                    details={
                        "category": rule.category,
                        "model": rule.model,
                        "action": rule.action,
                        "count": result.count,
                        "date": report.run_for.isoformat(),
                        "run": run.pk,
                    },
                )
        except Exception as error:  # reported per category; the others go on
            # The database's message may quote a value (an e-mail…): only the error's type is
            # stored with the run; the details go to the log.
            logger.exception("Purge of %s failed", rule.category)
            result.count = 0
            result.error = type(error).__name__
    if run is not None:
        run.counts = {r.rule.category: r.count for r in report.results}
        run.total = report.total
        run.errors = report.errors
        run.finished_at = timezone.now()
        run.full_clean()
        run.save()
    return report
