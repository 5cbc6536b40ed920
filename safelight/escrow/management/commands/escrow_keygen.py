"""`safelight escrow_keygen`: a new key for the matching escrow, printed as two shares.

The OPRF key is split into two additive shares, one for each key service; the full key is never
printed or stored. With --one-share it prints a single fresh share instead: each key service's
administrator runs it on their own host, and the key (the sum of the two shares) then exists
nowhere at all. docs/escrow-key-services.md says how to use either.
"""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand, CommandParser

from safelight.crypto import oprf

WARNING = (
    "Changing the key (a new share on either key service) makes every escrow entry made before\n"
    "unmatchable: held reports then wait for a second reporter who can never be found. Set new\n"
    "shares only on an installation with no entries, or after telling the people who hold them."
)


def _token() -> str:
    return secrets.token_urlsafe(32)


class Command(BaseCommand):
    help = "Generate the matching escrow's key as two shares, one for each key service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--one-share",
            action="store_true",
            help="print one fresh share and token for this key service only; the other key "
            "service's administrator runs the same on their host",
        )

    def handle(self, *args, one_share: bool, **options) -> None:
        if one_share:
            self._one_share()
        else:
            self._two_shares()
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(WARNING))

    def _one_share(self) -> None:
        token = _token()
        self.stdout.write(
            "A fresh share for this key service of the matching escrow. Put both lines in this\n"
            "key service's environment only (SAFELIGHT_INTERFACES=keyservice):\n"
        )
        self.stdout.write(f"  SAFELIGHT_KEY_SHARE={oprf.generate_key().hex()}")
        self.stdout.write(f"  SAFELIGHT_KEY_SERVICE_TOKEN={token}")
        self.stdout.write(
            "\nThe other key service's administrator runs the same command on their own host.\n"
            "The escrow key is the sum of the two shares: it is never computed, so no one, not\n"
            "even the two of you, ever holds it. Give the token (never the share) to the\n"
            "administrator of the Safelight app, as SAFELIGHT_KEY_SERVICE_1_TOKEN or _2_TOKEN."
        )

    def _two_shares(self) -> None:
        shares = oprf.split_key(oprf.generate_key())  # the key is dropped here, never shown
        tokens = (_token(), _token())
        self.stdout.write(
            "A new key for the matching escrow, as two shares. Give each block to a different\n"
            "key service's administrator (separate hosts, separate people), over a channel no\n"
            "one else reads, then clear this screen and keep no copy. The full key is not\n"
            "printed and was not stored: neither share alone can compute a match or tell who\n"
            "was named. (To avoid anyone seeing both shares, each administrator can instead run\n"
            "`safelight escrow_keygen --one-share` on their own host.)"
        )
        for number, (share, token) in enumerate(zip(shares, tokens, strict=True), start=1):
            self.stdout.write(f"\nKey service {number}, for its administrator only:")
            self.stdout.write("  SAFELIGHT_INTERFACES=keyservice")
            self.stdout.write(f"  SAFELIGHT_KEY_SHARE={share.hex()}")
            self.stdout.write(f"  SAFELIGHT_KEY_SERVICE_TOKEN={token}")
        self.stdout.write(
            "\nThe Safelight app (reporter side) gets each service's address and token, never a "
            "share:"
        )
        for number, token in enumerate(tokens, start=1):
            self.stdout.write(
                f"  SAFELIGHT_KEY_SERVICE_{number}_URL="
                f"https://<key service {number}'s host>/keyservice/evaluate"
            )
            self.stdout.write(f"  SAFELIGHT_KEY_SERVICE_{number}_TOKEN={token}")
