# Placeholder reserved for: locker: storage quota. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_incident_drafts")]

    operations: list[migrations.operations.base.Operation] = []
