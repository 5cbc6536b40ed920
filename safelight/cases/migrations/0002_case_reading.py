# Placeholder reserved for: case read markers / closing message. Fill in the operations (keep the name and dependency).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
