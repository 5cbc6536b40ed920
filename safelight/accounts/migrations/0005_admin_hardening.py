# Administration hardening: scoped admins, confirmed resets (issue 20).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def administrators_are_no_longer_superusers(apps, schema_editor) -> None:
    """Administrators used to be created as superusers, which let them take over any handler in
    any organisation. A superuser who is a handler becomes an administrator of their own
    organisation only; platform operators are made with `safelight createoperator`."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    handler_model = apps.get_model("accounts", "Handler")
    handler_users = handler_model.objects.values("user_id")
    user_model.objects.filter(is_superuser=True, pk__in=handler_users).update(
        is_superuser=False, is_staff=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_handler_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="handler",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="For example “Sam (people team)”. Reporters never see usernames.",
                max_length=150,
                verbose_name="name shown to reporters",
            ),
        ),
        migrations.AddField(
            model_name="handler",
            name="own_email",
            field=models.EmailField(
                blank=True, editable=False, max_length=254, verbose_name="own email address"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="reset_approver",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Optional. A reset of a handler's password or second factor then also opens "
                    "when this administrator approves it (not only when the handler confirms by "
                    "email)."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.handler",
                verbose_name="administrator who approves account resets",
            ),
        ),
        migrations.CreateModel(
            name="AccountReset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("kind", models.CharField(
                    choices=[("password", "password"),
                             ("second_factor", "second factor (authenticator app)"),
                             ("both", "password and second factor")],
                    max_length=16, verbose_name="what was reset")),
                ("reset_at", models.DateTimeField(auto_now_add=True, verbose_name="reset at")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True,
                                                      verbose_name="confirmed by the handler")),
                ("approved_at", models.DateTimeField(blank=True, null=True,
                                                     verbose_name="approved at")),
                ("seen_at", models.DateTimeField(blank=True, null=True,
                                                 verbose_name="shown to the handler")),
                ("approved_by", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="approved by")),
                ("handler", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="resets",
                    to="accounts.handler", verbose_name="handler")),
                ("reset_by", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                    to=settings.AUTH_USER_MODEL, verbose_name="reset by")),
            ],
            options={
                "verbose_name": "account reset",
                "verbose_name_plural": "account resets",
                "ordering": ["-reset_at", "-id"],
            },
        ),
        migrations.RunPython(administrators_are_no_longer_superusers, migrations.RunPython.noop),
    ]
