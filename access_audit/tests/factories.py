"""factory_boy factories of the login rights (A-01, A-06), a trait per state."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access_audit.constants import LoginRightState
from access_audit.models import LoginRight
from directory.tests.factories import PersonFactory, UserFactory


class LoginRightFactory(DjangoModelFactory):
    """An active right to the business system; ``revoked`` by a user with a reason, or
    ``revoked_by_rule`` with no user (A-01: the qualification ended)."""

    class Meta:
        model = LoginRight

    person = factory.SubFactory(PersonFactory)
    username = factory.Sequence(lambda n: f"cbs{n:04d}")
    state = LoginRightState.ACTIVE
    granted_at = factory.LazyFunction(timezone.now)
    granted_by = factory.SubFactory(UserFactory)

    class Params:
        revoked = factory.Trait(
            state=LoginRightState.REVOKED,
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=factory.SubFactory(UserFactory),
            revoke_reason="离职",
        )
        revoked_by_rule = factory.Trait(
            state=LoginRightState.REVOKED,
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=None,
            revoke_reason="资格已暂停",
        )
