# Reserved for: handler notification preference.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_neutral_page_title")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="handler",
            name="notify",
            field=models.CharField(
                choices=[
                    ("at_once", "At once, one email each time"),
                    ("digest", "In the daily digest"),
                ],
                default="at_once",
                max_length=10,
                verbose_name="new reports and messages",
            ),
        ),
    ]
