# Locker: files kept across a form error (issue 13, item 13).
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="IncidentDraftFile",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True,
                                        serialize=False)),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("storage_name", models.CharField(max_length=32, unique=True)),
                ("size", models.PositiveBigIntegerField()),
                ("sealed_meta", models.BinaryField()),
                ("locker", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="draft_files",
                    to="evidence.locker")),
            ],
            options={"ordering": ["added_at", "pk"]},
        ),
    ]
