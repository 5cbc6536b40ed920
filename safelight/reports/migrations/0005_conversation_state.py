# Reserved for: messages: feedback marking and unread state.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_reporter_sessions")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="message",
            name="gives_feedback",
            field=models.BooleanField(default=False),
        ),
    ]
