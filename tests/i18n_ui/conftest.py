"""The reporter's fixtures (an organisation "acme" with the channel "Harassment at work")."""

from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
