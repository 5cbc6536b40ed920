"""The reporter side's rows move from the "intake" label (now the case core, safelight.reports)
to "reporter" (issue 14). Only Django's idea of which app owns them changes: the tables keep
their names and their rows, so this creates nothing in the database."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("draft", "draftfile", "reportersession"):
        if not ContentType.objects.filter(app_label="reporter", model=model).exists():
            ContentType.objects.filter(app_label="intake", model=model).update(
                app_label="reporter")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("draft", "draftfile", "reportersession"):
        if not ContentType.objects.filter(app_label="intake", model=model).exists():
            ContentType.objects.filter(app_label="reporter", model=model).update(
                app_label="intake")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("intake", "0005_conversation_state"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ReporterSession",
                    fields=[
                        ("id_hash", models.CharField(max_length=64, primary_key=True,
                                                     serialize=False)),
                        ("kind", models.CharField(max_length=16)),
                        ("expires_at", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "intake_reportersession"},
                ),
                migrations.CreateModel(
                    name="Draft",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False,
                                                primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField(db_index=True)),
                        ("data", models.BinaryField()),
                        ("channel", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="drafts",
                            to="intake.channel")),
                    ],
                    options={"db_table": "intake_draft"},
                ),
                migrations.CreateModel(
                    name="DraftFile",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False,
                                                primary_key=True, serialize=False)),
                        ("added_at", models.DateTimeField()),
                        ("storage_name", models.CharField(max_length=64, unique=True)),
                        ("size", models.BigIntegerField()),
                        ("sealed_key", models.BinaryField()),
                        ("sealed_details", models.BinaryField()),
                        ("draft", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="files",
                            to="reporter.draft")),
                    ],
                    options={"db_table": "intake_draftfile", "ordering": ["added_at", "pk"]},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
