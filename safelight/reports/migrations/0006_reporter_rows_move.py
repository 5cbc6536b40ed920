"""Drafts, their files and reporter sessions now belong to the "reporter" label
(safelight.intake, migration reporter.0001). Only Django's state changes: the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_conversation_state"),
        ("reporter", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="draft", name="channel"),
                migrations.RemoveField(model_name="draftfile", name="draft"),
                migrations.DeleteModel(name="ReporterSession"),
                migrations.DeleteModel(name="DraftFile"),
                migrations.DeleteModel(name="Draft"),
            ],
        ),
    ]
