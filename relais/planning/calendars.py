"""The calendar exceptions of the planning: French public holidays and zone C school holidays.

Public holidays come from the ``holidays`` library (``holidays.France``, French names).

School holidays: the library has none, so ``data/vacances-zone-c.csv`` ships the periods of
zone C (académie de Montpellier, hence the Pyrénées-Orientales) for the school years 2023-2024
to 2026-2027. Source: calendrier scolaire officiel, Éducation nationale
(https://www.education.gouv.fr/calendrier-scolaire-100148, arrêtés fixant le calendrier
scolaire). ``debut`` is the first day without classes (the Saturday after classes end) and
``fin`` the last one (the eve of the day classes resume), both inclusive. The end of the
summer holidays 2027 is set to 31 August pending the next official calendar. Add a line per
period when a new school year is published; dates outside the file count as term time.
"""

import csv
import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources

import holidays


@dataclass(frozen=True)
class SchoolHoliday:
    school_year: str
    name: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@functools.cache
def school_holidays() -> tuple[SchoolHoliday, ...]:
    """The zone C school holiday periods of the bundled file."""
    text = (
        resources.files("relais.planning").joinpath("data/vacances-zone-c.csv").read_text("utf-8")
    )
    return tuple(
        SchoolHoliday(
            school_year=row["annee_scolaire"],
            name=row["vacances"],
            start=date.fromisoformat(row["debut"]),
            end=date.fromisoformat(row["fin"]),
        )
        for row in csv.DictReader(text.splitlines())
    )


def school_holiday_on(day: date) -> SchoolHoliday | None:
    return next((period for period in school_holidays() if period.contains(day)), None)


@functools.lru_cache(maxsize=32)
def _public_holidays(years: tuple[int, ...]) -> dict[date, str]:
    return dict(holidays.France(years=years, language="fr"))


def public_holidays(start: date, end: date) -> dict[date, str]:
    """French public holidays between two dates (inclusive), with their French names."""
    years = tuple(range(start.year, end.year + 1))
    return {day: name for day, name in _public_holidays(years).items() if start <= day <= end}
