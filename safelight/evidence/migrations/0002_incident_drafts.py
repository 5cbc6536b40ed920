# Placeholder reserved for: locker: files kept across a form error. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
