"""factory_boy factories of the login rights (A-01, A-06) and their requests (A-02), a trait
per state."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access_audit.constants import LoginRightState, RightRequestState
from access_audit.models import LoginRight, LoginRightRequest
from directory.tests.factories import PersonFactory, UserFactory


class LoginRightFactory(DjangoModelFactory):
    """An active right to the business system; ``revoked`` by a user with a reason, or
    ``revoked_by_rule`` with no user (A-01: the qualification ended); ``suspended`` as a
    qualification's change leaves it (A-01); ``unmatched``: an imported account whose ID
    number matches no person."""

    class Meta:
        model = LoginRight

    person = factory.SubFactory(PersonFactory)
    username = factory.Sequence(lambda n: f"cbs{n:04d}")
    id_number = factory.LazyAttribute(lambda o: o.person.id_number if o.person else "")
    lab = factory.LazyAttribute(lambda o: o.person.lab if o.person else None)
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
        suspended = factory.Trait(
            state=LoginRightState.SUSPENDED,
            suspended_at=factory.LazyFunction(timezone.now),
            rule="A-01",
            revoke_reason="资格已暂停",
        )
        unmatched = factory.Trait(
            person=None,
            granted_at=None,
            granted_by=None,
            id_number="110105197907013016",
            name="外部账号",
            imported_at=factory.LazyFunction(timezone.now),
        )


class LoginRightRequestFactory(DjangoModelFactory):
    """A request submitted by the staff of the person's lab (A-02); ``accepted`` by the quality
    technology dept, then ``granted`` or ``refused`` (with a reason) by the general business
    dept, or ``withdrawn``. The factory writes the rows; the services make the account."""

    class Meta:
        model = LoginRightRequest

    person = factory.SubFactory(PersonFactory)
    lab = factory.LazyAttribute(lambda o: o.person.lab)
    username = factory.Sequence(lambda n: f"req{n:04d}")
    state = RightRequestState.SUBMITTED
    submitted_by = factory.SubFactory(UserFactory)

    class Params:
        accepted = factory.Trait(
            state=RightRequestState.ACCEPTED,
            accepted_at=factory.LazyFunction(timezone.now),
            accepted_by=factory.SubFactory(UserFactory, role="quality_tech_officer"),
        )
        refused = factory.Trait(
            state=RightRequestState.REFUSED,
            decided_at=factory.LazyFunction(timezone.now),
            decided_by=factory.SubFactory(UserFactory, role="general_business_officer"),
            decision_comment="用户名不符合业务系统规则",
        )
        withdrawn = factory.Trait(
            state=RightRequestState.WITHDRAWN,
            decided_at=factory.LazyFunction(timezone.now),
        )
