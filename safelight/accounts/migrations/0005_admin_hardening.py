# Placeholder reserved for: administration hardening: scoped admins, confirmed resets. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_handler_notifications")]

    operations: list[migrations.operations.base.Operation] = []
