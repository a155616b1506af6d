"""The monthly report as the partner's staff read it: under statistical disclosure control.

The report leaves the Département's team for the partner structure (convention, art. 3.4), so
its counts of people and activities follow the rule of every other output
(``relais.reporting.disclosure``, docs/statistical-disclosure.md): a count of 1 to threshold − 1
is a « secret statistique », and so is any count from which a secret one could be recomputed
through the report's sums. The advisers who write the report and the coordination read the
exact figures (they hold the records); the stored snapshot is never changed.

The sums a reader can use, all exact on the stored figures:

* activities = individual + collective;
* participants = individual (one person each) + participants in workshops;
* each profile breakdown (gender, age, status, with « Non communiqué ») adds up to the
  participants;
* a single theme is the theme of every activity (themes are several per activity, so several
  themes add up to nothing).

Permanence half-days and the departmental workshops' attendance count half-days and seats, not
people described by their profile: they stay exact.
"""

import copy

from relais.accounts.enums import Role
from relais.reporting.disclosure import SECRET, explanation, sum_equation, suppress, threshold

# Who reads exact figures: the controller's staff, and the advisers who write the report.
EXACT_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.ADVISOR})

ACTIVITY_CELLS = ("total", "individual", "collective", "participants", "collective_participants")


def reads_exact_figures(user) -> bool:
    return user.is_authenticated and user.role in EXACT_ROLES


def _cells_and_sums(activities: dict) -> tuple[dict[str, int], list]:
    cells = {name: int(activities.get(name) or 0) for name in ACTIVITY_CELLS}
    sums = [
        sum_equation("total", ["individual", "collective"]),
        sum_equation("participants", ["individual", "collective_participants"]),
    ]
    for prefix, rows in (activities.get("profiles") or {}).items():
        names = []
        for row in rows:
            name = f"profiles.{prefix}.{row['value']}"
            cells[name] = int(row["count"] or 0)
            names.append(name)
        sums.append(sum_equation("participants", names))
    themes = activities.get("themes") or []
    for row in themes:
        cells[f"themes.{row['value']}"] = int(row["count"] or 0)
    if len(themes) == 1:
        sums.append(sum_equation("total", [f"themes.{themes[0]['value']}"]))
    return cells, sums


def secret_cells(figures: dict) -> set[str]:
    """The names of the report's cells not to publish (empty when nothing is small)."""
    cells, sums = _cells_and_sums(figures.get("activities") or {})
    return suppress(cells, sums, limit=threshold())


def published_figures(figures: dict) -> dict:
    """A copy of ``figures`` with the secret counts replaced by :data:`SECRET`, and
    ``disclosure`` saying how many were withheld and why."""
    secret = secret_cells(figures)
    published = copy.deepcopy(figures)
    activities = published.get("activities") or {}
    for name in ACTIVITY_CELLS:
        if name in secret:
            activities[name] = SECRET
    for prefix, rows in (activities.get("profiles") or {}).items():
        for row in rows:
            if f"profiles.{prefix}.{row['value']}" in secret:
                row["count"] = SECRET
    for row in activities.get("themes") or []:
        if f"themes.{row['value']}" in secret:
            row["count"] = SECRET
    published["disclosure"] = {"secret": len(secret), "explanation": explanation()}
    return published


def figures_for(user, figures: dict) -> dict:
    """What ``user`` reads of a report's figures."""
    if reads_exact_figures(user):
        return {**figures, "disclosure": {"secret": 0, "explanation": ""}}
    return published_figures(figures)
