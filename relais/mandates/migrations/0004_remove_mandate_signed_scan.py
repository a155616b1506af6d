# Versioned scans, step 3 of 3: the scan's columns on the mandate are now in MandateScan.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mandates', '0003_mandatescan_data'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='mandate',
            name='signed_scan',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='signed_scan_sha256',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='signed_scan_type',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='signed_scan_uploaded_at',
        ),
    ]
