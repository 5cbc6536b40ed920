# Quick exit / reporter sessions: the server-side record that a follow-up or locker cookie needs.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_report_together")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="ReporterSession",
            fields=[
                ("id_hash", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("kind", models.CharField(max_length=16)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
