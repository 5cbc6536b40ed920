"""Risk checklists' and items' words move to translation tables (issue 15): each existing name,
introduction, question, label and reason becomes the translation in the organisation's default
language (English, for every organisation that existed before accounts 0006), then the old
columns go.

The translation tables start with plain foreign keys: django-parler's would add the translated
fields to the migration's models while they still have columns of the same names.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models

from safelight.accounts.content_migrations import TranslatableBases

CHECKLIST_TEXTS = ("name", "introduction")
ITEM_TEXTS = ("question", "handler_label", "reason")


def texts_to_translations(apps, schema_editor):
    alias = schema_editor.connection.alias
    RiskChecklist = apps.get_model("triage", "RiskChecklist")
    RiskItem = apps.get_model("triage", "RiskItem")
    RiskChecklistTranslation = apps.get_model("triage", "RiskChecklistTranslation")
    RiskItemTranslation = apps.get_model("triage", "RiskItemTranslation")
    languages = {}
    for checklist in (RiskChecklist.objects.using(alias).select_related("organisation")
                      .iterator()):
        language = languages[checklist.pk] = checklist.organisation.default_language
        RiskChecklistTranslation.objects.using(alias).create(
            master_id=checklist.pk, language_code=language,
            **{field: getattr(checklist, field) for field in CHECKLIST_TEXTS},
        )
    RiskItemTranslation.objects.using(alias).bulk_create(
        (
            RiskItemTranslation(
                master_id=item.pk, language_code=languages[item.checklist_id],
                **{field: getattr(item, field) for field in ITEM_TEXTS},
            )
            for item in RiskItem.objects.using(alias).iterator()
        ),
        batch_size=500,
    )


def _back(model, translation_model, fields, language_of, alias):
    for row in model.objects.using(alias).iterator():
        rows = translation_model.objects.using(alias).filter(master_id=row.pk)
        found = (rows.filter(language_code=language_of(row)).first()
                 or rows.order_by("pk").first())
        if found is not None:
            model.objects.using(alias).filter(pk=row.pk).update(
                **{field: getattr(found, field) for field in fields}
            )


def translations_to_texts(apps, schema_editor):
    """Back: each checklist and item keeps its default language's words (else any language's)."""
    alias = schema_editor.connection.alias
    RiskChecklist = apps.get_model("triage", "RiskChecklist")
    RiskItem = apps.get_model("triage", "RiskItem")
    languages = dict(
        RiskChecklist.objects.using(alias).values_list("pk", "organisation__default_language")
    )
    _back(RiskChecklist, apps.get_model("triage", "RiskChecklistTranslation"), CHECKLIST_TEXTS,
          lambda checklist: languages[checklist.pk], alias)
    _back(RiskItem, apps.get_model("triage", "RiskItemTranslation"), ITEM_TEXTS,
          lambda item: languages[item.checklist_id], alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_languages'),
        ('triage', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RiskChecklistTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('introduction', models.TextField(blank=True, help_text='Shown to reporters above the items: plain words, no blame; say that every item is optional and why you ask.', verbose_name='introduction')),
                ('master', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='triage.riskchecklist')),
            ],
            options={
                'verbose_name': 'risk checklist Translation',
                'db_table': 'triage_riskchecklist_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='triage_riskchecklist_translation_uniq_lang')],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.CreateModel(
            name='RiskItemTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('question', models.CharField(help_text='Plain words, addressed to the reporter, no blame. For example: “Does the person know or control any of your passwords?”', max_length=500, verbose_name='question for reporters')),
                ('handler_label', models.CharField(help_text="Short, for the handler's checklist. For example: “Knows or controls passwords”.", max_length=200, verbose_name='label for handlers')),
                ('reason', models.CharField(help_text='A sentence or two shown to handlers, ideally with its source.', max_length=1000, verbose_name='why it raises risk')),
                ('master', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='triage.riskitem')),
            ],
            options={
                'verbose_name': 'risk item Translation',
                'db_table': 'triage_riskitem_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='triage_riskitem_translation_uniq_lang')],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.RunPython(texts_to_translations, translations_to_texts),
        # Defaults for the way back only: the columns come back empty, then get their words.
        migrations.AlterField(model_name='riskchecklist', name='name', field=models.CharField(default='', max_length=200, verbose_name='name')),
        migrations.AlterField(model_name='riskitem', name='question', field=models.CharField(default='', max_length=500, verbose_name='question for reporters')),
        migrations.AlterField(model_name='riskitem', name='handler_label', field=models.CharField(default='', max_length=200, verbose_name='label for handlers')),
        migrations.AlterField(model_name='riskitem', name='reason', field=models.CharField(default='', max_length=1000, verbose_name='why it raises risk')),
        migrations.RemoveField(model_name='riskchecklist', name='introduction'),
        migrations.RemoveField(model_name='riskchecklist', name='name'),
        migrations.RemoveField(model_name='riskitem', name='handler_label'),
        migrations.RemoveField(model_name='riskitem', name='question'),
        migrations.RemoveField(model_name='riskitem', name='reason'),
        # Only now, with the old columns gone, can the models' state be translatable: the foreign
        # keys become django-parler's (the same columns and constraints).
        TranslatableBases('RiskChecklist'),
        TranslatableBases('RiskItem'),
        migrations.AlterField(
            model_name='riskchecklisttranslation',
            name='master',
            field=parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='triage.riskchecklist'),
        ),
        migrations.AlterField(
            model_name='riskitemtranslation',
            name='master',
            field=parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='triage.riskitem'),
        ),
    ]
