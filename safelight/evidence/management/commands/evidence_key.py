"""Print the public key that signs evidence lockers' custody logs, to publish it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safelight.crypto import SigningKey
from safelight.evidence.bundle import key_fingerprint


class Command(BaseCommand):
    help = ("Print the evidence signing key's public half and fingerprint. Publish both (for "
            "example on your website), so a court can compare them with what "
            "`safelight verify` prints for a bundle.")

    def handle(self, *args, **options) -> None:
        seed = settings.SAFELIGHT_EVIDENCE_SIGNING_KEY
        if seed is None:
            raise CommandError("This process serves no evidence locker "
                               "(SAFELIGHT_INTERFACES has no reporter side).")
        public = SigningKey(seed).verify_key().to_bytes()[-32:]
        self.stdout.write(f"public key:  {public.hex()}\n")
        self.stdout.write(f"fingerprint: {key_fingerprint(public)}\n")
