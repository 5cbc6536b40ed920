import pytest

from safelight.accounts.actions import create_handler, sign_in_handler
from safelight.intake.setup_actions import create_channel, create_default_questionnaire
from tests.conftest import PASSWORD


def with_keys(handler):
    """A handler after first sign-in: the key pair exists, so reports can be sealed to them."""
    sign_in_handler(handler=handler, password=PASSWORD)
    handler.refresh_from_db()
    return handler


@pytest.fixture
def questionnaire(organisation):
    return create_default_questionnaire(organisation=organisation, name="Default")


@pytest.fixture
def hana(handler):
    return with_keys(handler)


@pytest.fixture
def ben(organisation):
    return with_keys(create_handler(organisation=organisation, username="ben", password=PASSWORD))


@pytest.fixture
def olga(organisation):
    return with_keys(create_handler(organisation=organisation, username="olga", password=PASSWORD))


@pytest.fixture
def channel(organisation, questionnaire, hana, ben):
    """Harassment at work: read by hana (who may see identity) and ben (who may not)."""
    return create_channel(
        organisation=organisation,
        name="Harassment at work",
        slug="work",
        description="Harassment by colleagues.",
        who_reads="HR.",
        questionnaire=questionnaire,
        recipients=[(hana, True), (ben, False)],
    )


@pytest.fixture
def other_channel(organisation, questionnaire, olga):
    return create_channel(
        organisation=organisation,
        name="Abuse on our platform",
        slug="platform",
        description="Abuse by users.",
        who_reads="Trust and safety.",
        questionnaire=questionnaire,
        recipients=[(olga, True)],
        position=1,
    )
