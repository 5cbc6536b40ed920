"""The old columns of a service's words go: 0002 copied them into the translation table
(a blank text each, should the migration be undone)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0002_texts_in_every_language'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='service',
            name='accessibility_before',
        ),
        migrations.RemoveField(
            model_name='service',
            name='cost_before',
        ),
        migrations.RemoveField(
            model_name='service',
            name='description_before',
        ),
        migrations.RemoveField(
            model_name='service',
            name='eligibility_before',
        ),
        migrations.RemoveField(
            model_name='service',
            name='hours_before',
        ),
    ]
