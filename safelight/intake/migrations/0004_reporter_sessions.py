# Placeholder reserved for: quick exit / reporter sessions. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_report_together")]

    operations: list[migrations.operations.base.Operation] = []
