# Reserved for: case read markers / closing message.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="outcome",
            name="closing_message",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="+", to="intake.message",
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="no_message_reason",
            field=models.BinaryField(null=True),
        ),
        migrations.CreateModel(
            name="CaseReading",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("seen_at", models.DateTimeField()),
                ("handler", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="readings",
                    to="accounts.handler")),
                ("report", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="readings",
                    to="intake.report")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("handler", "report"),
                                                        name="case_reading_unique")],
            },
        ),
    ]
