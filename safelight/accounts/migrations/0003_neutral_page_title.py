# Reserved for: organisation's neutral page title.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_handler_key_pair")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="organisation",
            name="page_title",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The title of every reporter page, as the browser's tabs and history show "
                    "it. Keep it neutral: it must not say what the site is for. Empty: “Online "
                    "form”."
                ),
                max_length=100,
                verbose_name="page title",
            ),
        ),
    ]
