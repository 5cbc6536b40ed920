from tests.intake.conftest import ben, channel, hana, olga, other_channel, questionnaire  # noqa: F401
