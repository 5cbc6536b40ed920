# Placeholder reserved for: handler notification preference. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_neutral_page_title")]

    operations: list[migrations.operations.base.Operation] = []
