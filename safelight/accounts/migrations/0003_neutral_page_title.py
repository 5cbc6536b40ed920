# Placeholder reserved for: organisation's neutral page title. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_handler_key_pair")]

    operations: list[migrations.operations.base.Operation] = []
