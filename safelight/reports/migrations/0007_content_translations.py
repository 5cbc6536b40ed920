"""Steps, questions and channels keep their words one row a language (issue 15).

The old columns are renamed out of the way, the translation tables are created, every existing
text is copied into a row in its organisation's default language, then the old columns go. Going back copies the default
language's words (or English, or any language there is) into the columns again; the other
languages' rows are lost then. Plain ORM reads and writes: SQLite and PostgreSQL alike.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models

# (model, its way to the organisation, the translated fields)
CONTENT = [
    ("Step", "questionnaire__organisation", ("title", "introduction")),
    ("Question", "step__questionnaire__organisation", ("label", "help_text", "choices")),
    ("Channel", "organisation", ("name", "description", "who_reads")),
]
BATCH = 500


def to_translations(apps, schema_editor):
    for model_name, path, fields in CONTENT:
        model = apps.get_model("intake", model_name)
        translation = apps.get_model("intake", f"{model_name}Translation")
        before = [f"{field}_before" for field in fields]
        rows = model.objects.order_by("pk").values("pk", f"{path}__default_language", *before)
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(translation(
                master_id=row["pk"], language_code=row[f"{path}__default_language"] or "en",
                **{field: row[f"{field}_before"] for field in fields},
            ))
            if len(batch) >= BATCH:
                translation.objects.bulk_create(batch)
                batch = []
        translation.objects.bulk_create(batch)


def from_translations(apps, schema_editor):
    for model_name, path, fields in CONTENT:
        model = apps.get_model("intake", model_name)
        translation = apps.get_model("intake", f"{model_name}Translation")
        defaults = dict(model.objects.order_by().values_list("pk", f"{path}__default_language"))
        chosen: dict = {}
        for row in translation.objects.order_by("pk").values(
                "master_id", "language_code", *fields).iterator(chunk_size=BATCH):
            rank = (0 if row["language_code"] == defaults.get(row["master_id"])
                    else 1 if row["language_code"] == "en" else 2)
            best = chosen.get(row["master_id"])
            if best is None or rank < best[0]:
                chosen[row["master_id"]] = (rank, row)
        for pk, (_rank, row) in chosen.items():
            model.objects.filter(pk=pk).update(
                **{f"{field}_before": row[field] for field in fields})


class TranslatableBases(migrations.operations.base.Operation):
    """State only: the historical model gets django-parler's mixin as a base, as the model now
    has, so that its translations table can point at it (TranslationsForeignKey requires it)."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, name):
        self.name = name

    def deconstruct(self):
        return self.__class__.__name__, [self.name], {}

    def state_forwards(self, app_label, state):
        model_state = state.models[app_label, self.name.lower()]
        model_state.bases = (parler.models.TranslatableModelMixin, models.Model)
        state.reload_model(app_label, self.name.lower(), delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Translatable bases for {self.name}"


def _translation_model(name, fields, master):
    return migrations.CreateModel(
        name=f"{name}Translation",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                       verbose_name="ID")),
            ("language_code", models.CharField(db_index=True, max_length=15,
                                               verbose_name="Language")),
            *fields,
            ("master", parler.fields.TranslationsForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                related_name="translations", to=master)),
        ],
        options={
            "verbose_name": f"{name.lower()} Translation",
            "db_table": f"intake_{name.lower()}_translation",
            "db_tablespace": "",
            "managed": True,
            "default_permissions": (),
            "constraints": [models.UniqueConstraint(
                fields=("language_code", "master"),
                name=f"intake_{name.lower()}_translation_uniq_lang")],
        },
        bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_languages"),
        ("intake", "0006_reporter_rows_move"),
    ]

    operations = [
        # The old columns step aside first (a translated field cannot share a column's name),
        # with a default, so that going back can add them again to a table that has rows.
        *[migrations.RenameField(model_name=model.lower(), old_name=field,
                                 new_name=f"{field}_before")
          for model, _path, fields in CONTENT for field in fields],
        migrations.AlterField(model_name="channel", name="name_before",
                              field=models.CharField(default="", max_length=200)),
        migrations.AlterField(model_name="channel", name="description_before",
                              field=models.TextField(default="")),
        migrations.AlterField(model_name="channel", name="who_reads_before",
                              field=models.TextField(default="")),
        migrations.AlterField(model_name="question", name="label_before",
                              field=models.CharField(default="", max_length=500)),
        migrations.AlterField(model_name="question", name="help_text_before",
                              field=models.TextField(blank=True, default="")),
        migrations.AlterField(model_name="question", name="choices_before",
                              field=models.TextField(blank=True, default="")),
        migrations.AlterField(model_name="step", name="title_before",
                              field=models.CharField(default="", max_length=200)),
        migrations.AlterField(model_name="step", name="introduction_before",
                              field=models.TextField(blank=True, default="")),
        TranslatableBases("Channel"),
        TranslatableBases("Question"),
        TranslatableBases("Step"),
        _translation_model("Channel", [
            ("name", models.CharField(max_length=200, verbose_name="name")),
            ("description", models.TextField(
                help_text="Shown on the landing page, in plain words.",
                verbose_name="what it is for")),
            ("who_reads", models.TextField(
                help_text="For example: “Two trained people in HR. Your manager does not see it.”",
                verbose_name="who reads reports")),
        ], "intake.channel"),
        _translation_model("Question", [
            ("label", models.CharField(max_length=500, verbose_name="question")),
            ("help_text", models.TextField(blank=True, verbose_name="help text")),
            ("choices", models.TextField(
                blank=True,
                help_text="For choice questions: one per line. Start a line with a code and “|” "
                          "(e.g. “threats | Threats”) to give the choice a code for conditions.",
                verbose_name="choices")),
        ], "intake.question"),
        _translation_model("Step", [
            ("title", models.CharField(max_length=200, verbose_name="title")),
            ("introduction", models.TextField(blank=True, verbose_name="introduction")),
        ], "intake.step"),
        migrations.RunPython(to_translations, from_translations),
        *[migrations.RemoveField(model_name=model.lower(), name=f"{field}_before")
          for model, _path, fields in CONTENT for field in fields],
        migrations.AlterModelOptions(
            name="channel",
            options={"ordering": ["organisation__name", "position", "pk"],
                     "verbose_name": "channel", "verbose_name_plural": "channels"},
        ),
    ]
