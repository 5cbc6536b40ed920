"""An organisation's landing texts move to a translation table (issue 15): the existing
introduction, urgent help and page title become the organisation's default language's
translation (English, for every organisation that existed before 0006), then the old columns go.

The translation table starts with a plain foreign key: django-parler's would add the translated
fields to the migration's Organisation while it still has columns of the same names.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models

from safelight.accounts.content_migrations import TranslatableBases

TEXTS = ("introduction", "urgent_help", "page_title")


def texts_to_translations(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    OrganisationTranslation = apps.get_model("accounts", "OrganisationTranslation")
    OrganisationTranslation.objects.using(schema_editor.connection.alias).bulk_create(
        OrganisationTranslation(
            master_id=organisation.pk,
            language_code=organisation.default_language,
            **{field: getattr(organisation, field) for field in TEXTS},
        )
        for organisation in Organisation.objects.using(schema_editor.connection.alias).iterator()
    )


def translations_to_texts(apps, schema_editor):
    """Back: each organisation keeps its default language's texts (else any language's)."""
    Organisation = apps.get_model("accounts", "Organisation")
    OrganisationTranslation = apps.get_model("accounts", "OrganisationTranslation")
    alias = schema_editor.connection.alias
    for organisation in Organisation.objects.using(alias).iterator():
        rows = OrganisationTranslation.objects.using(alias).filter(master_id=organisation.pk)
        row = (rows.filter(language_code=organisation.default_language).first()
               or rows.order_by("pk").first())
        if row is not None:
            Organisation.objects.using(alias).filter(pk=organisation.pk).update(
                **{field: getattr(row, field) for field in TEXTS}
            )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_languages'),
    ]

    operations = [
        migrations.CreateModel(
            name='OrganisationTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('introduction', models.TextField(blank=True, help_text='Shown on the reporter landing page: who you are and what reports are for.', verbose_name='introduction')),
                ('urgent_help', models.TextField(blank=True, help_text='Where to get help now: emergency numbers and services, one per line.', verbose_name='urgent help')),
                ('page_title', models.CharField(blank=True, help_text="The title of every reporter page, as the browser's tabs and history show it. Keep it neutral: it must not say what the site is for. Empty: “Online form”.", max_length=100, verbose_name='page title')),
                ('master', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='accounts.organisation')),
            ],
            options={
                'verbose_name': 'organisation Translation',
                'db_table': 'accounts_organisation_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='accounts_organisation_translation_uniq_lang')],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.RunPython(texts_to_translations, translations_to_texts),
        migrations.RemoveField(
            model_name='organisation',
            name='introduction',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='page_title',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='urgent_help',
        ),
        # Only now, with the old columns gone, can the model's state be translatable: the
        # foreign key becomes django-parler's (the same column and constraint).
        TranslatableBases('Organisation'),
        migrations.AlterField(
            model_name='organisationtranslation',
            name='master',
            field=parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='accounts.organisation'),
        ),
    ]
