"""`safelight democode USER`: the current authenticator code of a demo account (demo mode only).

So that someone trying the demo without an authenticator app can still pass the second step.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print a demo account's current authenticator code. Demo mode only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if settings.SAFELIGHT_MODE != "demo":
            raise CommandError("democode works only in demo mode.")
        device = (
            TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-id").first()
        )
        if device is None:
            raise CommandError(
                f"{username} has no authenticator yet: sign in with the password first."
            )
        code = totp(device.bin_key, step=device.step, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
