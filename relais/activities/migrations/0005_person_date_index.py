"""A person's activities in date order (index ``activity_beneficiary_date``: person, date, id).

Their first activity (« nouveau bénéficiaire ») is one index probe, for every statistic and for
each record's roll-ups (reporting.rollup); the index replaces the foreign key's own. Added
first, so that the foreign key is never without an index.
"""

import django.db.models.deletion
from django.db import migrations, models

PERSON = models.ForeignKey(
    "beneficiaries.beneficiary", on_delete=django.db.models.deletion.SET_NULL, null=True,
    blank=True, db_index=False, related_name="activities", verbose_name="personne accompagnée",
    help_text="Vide : personne anonyme.",
)
BY_PERSON = models.Index(fields=["beneficiary", "date", "id"], name="activity_beneficiary_date")


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_bounded_counts_one_report_per_session"),
                    ("beneficiaries", "0004_name_key_trigram_index")]
    operations = [migrations.AddIndex("activity", BY_PERSON),
                  migrations.AlterField("activity", "beneficiary", PERSON)]
