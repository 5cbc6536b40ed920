# Placeholder reserved for: messages: feedback marking and unread state. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_reporter_sessions")]

    operations: list[migrations.operations.base.Operation] = []
