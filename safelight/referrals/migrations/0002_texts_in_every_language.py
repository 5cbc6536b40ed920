"""A service's words move to a translation table (issue 15): what it offers, opening hours,
accessibility, who it is for and cost become a translation in the organisation's default
language (English, for every organisation that existed before accounts 0006). Its name,
provider, places, numbers and addresses stay as they are.

The old columns step aside first (a translated field cannot share a column's name); 0003 removes
them. Going back copies the default language's words (else any language's) into the columns
again; the other languages are lost then. Plain ORM reads and writes: SQLite and PostgreSQL.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models

TEXTS = ("description", "hours", "accessibility", "eligibility", "cost")


def texts_to_translations(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    ServiceTranslation = apps.get_model("referrals", "ServiceTranslation")
    alias = schema_editor.connection.alias
    services = Service.objects.using(alias).select_related("organisation").order_by("pk")
    batch = []
    for service in services.iterator(chunk_size=500):
        batch.append(ServiceTranslation(
            master_id=service.pk,
            language_code=service.organisation.default_language,
            **{field: getattr(service, f"{field}_before") for field in TEXTS},
        ))
        if len(batch) >= 500:
            ServiceTranslation.objects.using(alias).bulk_create(batch)
            batch = []
    ServiceTranslation.objects.using(alias).bulk_create(batch)


def translations_to_texts(apps, schema_editor):
    """Back: each service keeps its organisation's default language's words (else any
    language's)."""
    Service = apps.get_model("referrals", "Service")
    ServiceTranslation = apps.get_model("referrals", "ServiceTranslation")
    alias = schema_editor.connection.alias
    for service in Service.objects.using(alias).select_related("organisation").iterator():
        rows = ServiceTranslation.objects.using(alias).filter(master_id=service.pk)
        row = (rows.filter(language_code=service.organisation.default_language).first()
               or rows.order_by("pk").first())
        if row is not None:
            for field in TEXTS:
                setattr(service, f"{field}_before", getattr(row, field))
            service.save(update_fields=[f"{field}_before" for field in TEXTS])


class TranslatableBases(migrations.operations.base.Operation):
    """State only: the historical Service gets django-parler's mixin as a base, as the model now
    has, so that its translations table can point at it (TranslationsForeignKey requires it)."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, name):
        self.name = name

    def deconstruct(self):
        return self.__class__.__name__, [self.name], {}

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name.lower()].bases = (
            parler.models.TranslatableModelMixin, models.Model)
        state.reload_model(app_label, self.name.lower(), delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Translatable bases for {self.name}"


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_languages'),
        ('referrals', '0001_initial'),
    ]

    operations = [
        *[migrations.RenameField(model_name="service", old_name=field,
                                 new_name=f"{field}_before") for field in TEXTS],
        TranslatableBases("Service"),
        migrations.CreateModel(
            name='ServiceTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('description', models.TextField(blank=True, verbose_name='what it offers')),
                ('hours', models.TextField(blank=True, verbose_name='opening hours')),
                ('accessibility', models.TextField(blank=True, help_text='Step-free access, hearing loop, interpreters, relay services, and so on.', verbose_name='accessibility')),
                ('eligibility', models.TextField(blank=True, verbose_name='who it is for')),
                ('cost', models.TextField(blank=True, verbose_name='cost')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='referrals.service')),
            ],
            options={
                'verbose_name': 'service Translation',
                'db_table': 'referrals_service_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='referrals_service_translation_uniq_lang')],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.RunPython(texts_to_translations, translations_to_texts),
    ]
