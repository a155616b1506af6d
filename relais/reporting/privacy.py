"""This app's lines in the retention table (read by relais.privacy; see its registry.py).

The roll-ups hold counts per month or day, place, adviser, kind and commune — never a link to a
person — and follow the activities they summarise: the next refresh recomputes them.
"""

from relais.privacy.registry import declare_no_personal_data

ROLLUP_REASON = (
    "Effectifs agrégés par mois ou par jour (lieu, conseiller, type, commune) : des nombres, "
    "sans lien vers une personne accompagnée ; recalculés depuis les accompagnements."
)

declare_no_personal_data("reporting.ActivityMonthlyStat", reason=ROLLUP_REASON)
declare_no_personal_data("reporting.ActivityThemeMonthlyStat", reason=ROLLUP_REASON)
declare_no_personal_data("reporting.ActivityDailyStat", reason=ROLLUP_REASON)
declare_no_personal_data("reporting.ActivityThemeDailyStat", reason=ROLLUP_REASON)
