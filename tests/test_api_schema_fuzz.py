"""The OpenAPI schema says what the API really answers: every operation is fuzzed by schemathesis
against the schema the app serves, with every check on, as several roles (issue 9).

One test per role and operation: the world and objects in every state are made, the operation
runs its bounded examples (explicit, coverage and fuzzing phases) inside the test's
transaction, and the rollback at its end leaves nothing behind, the unsafe methods (POST,
PATCH) included. The seed is fixed and generation deterministic, so a run is repeatable.

The schema is read through the app, as a client reads it, and requests go to the WSGI
application in-process (no server, the same database connection as the test)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from access_audit.tests.factories import LoginRightFactory
from access_audit.tests.feed_factories import (
    CampaignEntryFactory,
    FeedClientFactory,
    RightChangeFactory,
)
from directory.constants import Role
from directory.tests.factories import UserFactory
from liaisons.tests.factories import (
    LiaisonApplicationFactory,
    LiaisonQualificationFactory,
    ready_application,
)

#: Examples per operation and phase: enough to reach each documented answer of an operation,
#: few enough that the five roles take about a minute of CPU.
MAX_EXAMPLES = 5

SETTINGS = {
    "seed": 9,
    "generation": {
        "mode": "all",  # valid and invalid input alike
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "allow-x00": True,  # NUL bytes in bodies and parameters answer 400, never 500
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True, "unexpected-methods": ["DELETE", "PUT"]},
        "fuzzing": {"enabled": True},
    },
    "checks": {
        "enabled": True,
        # A schema-valid request may still be refused by a rule (a step the application's
        # state does not allow) or name an object that does not exist: 400 with the
        # messages, as documented; everything else a valid request answers is 2xx/403/404.
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404"]},
    },
}
CONFIG = SchemathesisConfig.from_dict(SETTINGS)
#: The business system's API (issue 12) answers 401 to any bearer value the fuzzer makes up
#: for its security scheme, as it documents.
BUSINESS_SYSTEM_CONFIG = SchemathesisConfig.from_dict(
    {
        **SETTINGS,
        "checks": {
            **SETTINGS["checks"],
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]},
        },
    }
)


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    # Django's test client keeps the connection open across requests in the test's transaction;
    # a bare WSGI handler would close it at the end of each request. Do as the test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The schema as the app serves it (a request that reads no database).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture(autouse=True)
def _objects(world):
    """Objects in every state the operations act on, so fuzzed ids reach real ones too."""
    ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    LiaisonApplicationFactory(lab=world.lab_a, submitted=True)
    LiaisonApplicationFactory(lab=world.lab_a, with_branch=True)
    LiaisonApplicationFactory(lab=world.lab_a, passed=True)
    LiaisonApplicationFactory(lab=world.lab_b, returned=True)
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    # The business system's feed (issue 12): rights in each state, in a campaign, changed.
    for right in (
        LoginRightFactory(username="cbs0001"),
        LoginRightFactory(username="cbs0002", revoked_by_rule=True, rule="A-04"),
    ):
        CampaignEntryFactory(right=right)
        RightChangeFactory(right=right)


def _caller(role, world):
    if role == "anonymous":
        return None
    if role == "person":
        user = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
        world.person_a.user = user
        world.person_a.save()
        return user
    return getattr(world, role)


def _token(role, world) -> str | None:
    """The caller's token, made once per test (the world is the test's own)."""
    tokens = world.__dict__.setdefault("_fuzz_tokens", {})
    if role not in tokens:
        user = _caller(role, world)
        tokens[role] = Token.objects.create(user=user).key if user is not None else None
    return tokens[role]


#: The business system's own API answers its feed token alone (access_audit/api): fuzzed
#: with that token, and the portal's API with the users' tokens.
BUSINESS_SYSTEM = "^/api/v1/business-system/"


def _feed_token(world) -> str:
    tokens = world.__dict__.setdefault("_fuzz_tokens", {})
    if "feed" not in tokens:
        tokens["feed"] = FeedClientFactory().token
    return tokens["feed"]


#: The token of the role the running test fuzzes as (tests of one process run one at a time).
_CALLER: dict[str, str | None] = {}


@schema.auth(refresh_interval=None)
class _TokenAuth:
    """The caller's token, given as explicit credentials: the auth checks then probe the same
    request without them, and with a wrong one, and expect 403."""

    def get(self, case, context):
        return _CALLER.get("token")

    def set(self, case, data, context):
        if data is not None:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


portal_schema = schema.exclude(path_regex=BUSINESS_SYSTEM)
business_system_schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=BUSINESS_SYSTEM_CONFIG
).include(path_regex=BUSINESS_SYSTEM)
business_system_schema.auth(refresh_interval=None)(_TokenAuth)


def _fuzz_as(role):
    @portal_schema.parametrize()
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case, world):
        # issue 9: no 5xx; every status, content type, body and header as documented
        _CALLER["token"] = _token(role, world)
        case.call_and_validate(headers={"Accept-Language": "en"})

    return test


test_the_api_answers_lab_staff_as_its_schema_says = _fuzz_as("lab_a_staff")
test_the_api_answers_a_branch_reviewer_as_its_schema_says = _fuzz_as("branch_n_reviewer")
test_the_api_answers_the_training_centre_as_its_schema_says = _fuzz_as("training_admin")
test_the_api_answers_a_person_as_its_schema_says = _fuzz_as("person")
test_the_api_answers_anonymous_callers_as_its_schema_says = _fuzz_as("anonymous")


@business_system_schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_business_system_api_answers_its_token_as_its_schema_says(case, world, settings):
    # issue 12: hostile usernames and cursors answer 400, a wrong or missing token 401,
    # never a 5xx. The rate cap is lifted: the fuzzer asks faster than the business system.
    settings.BUSINESS_SYSTEM_API_RATES = {"eligibility": "1000000/min", "changes": "1000000/min"}
    _CALLER["token"] = _feed_token(world)
    case.call_and_validate(headers={"Accept-Language": "en"})
