"""factory_boy factories of the quality roles, a trait per state.

The staff member is eligible for both key roles by default (a bachelor with 26 years of
full-time work and 24 of professional work on 2026-01-01); the tests of the rules change what
they test. ``account_for`` gives the person a portal account of the role, through which a key
role acts.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.constants import Education, Role
from directory.tests.factories import CertificationBodyFactory, PersonFactory, UserFactory
from quality_roles.constants import (
    AuthoriserCapacity,
    CertificateState,
    DirectorAppointmentState,
    FilingKind,
    LeadAppointmentState,
    TitleLevel,
)
from quality_roles.models import (
    BodyGovernance,
    BodyStaff,
    Certificate,
    CertificationProject,
    DirectorAppointment,
    Filing,
    LeadAppointment,
    ProductCategory,
)

LONG_AGO = datetime.date(2000, 1, 1)


class BodyStaffFactory(DjangoModelFactory):
    class Meta:
        model = BodyStaff

    body = factory.SubFactory(CertificationBodyFactory)
    person = factory.SubFactory(
        PersonFactory, lab=None, body=factory.SelfAttribute("..body"), education=Education.BACHELOR
    )
    position = "认证部经理"
    full_time_work_since = LONG_AGO
    professional_work_since = datetime.date(2002, 1, 1)
    title_level = TitleLevel.NONE

    class Params:
        top_management = factory.Trait(is_top_management=True, position="副总经理")


class BodyGovernanceFactory(DjangoModelFactory):
    class Meta:
        model = BodyGovernance

    body = factory.SubFactory(CertificationBodyFactory)
    legal_representative = factory.SubFactory(
        PersonFactory, lab=None, body=factory.SelfAttribute("..body")
    )
    actual_controller = None


class ProductCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ProductCategory

    body = factory.SubFactory(CertificationBodyFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"产品类别 {n}")


class CertificationProjectFactory(DjangoModelFactory):
    class Meta:
        model = CertificationProject

    body = factory.SubFactory(CertificationBodyFactory)
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"认证项目 {n}")


def _now():
    return timezone.now()


class DirectorAppointmentFactory(DjangoModelFactory):
    """A director appointment in a state; ``active=True`` is in office since 2025-01-01."""

    class Meta:
        model = DirectorAppointment

    body = factory.SubFactory(CertificationBodyFactory)
    staff = factory.SubFactory(
        BodyStaffFactory, body=factory.SelfAttribute("..body"), top_management=True
    )

    class Params:
        authorised = factory.Trait(
            state=DirectorAppointmentState.AUTHORISED,
            authoriser=factory.SubFactory(
                PersonFactory, lab=None, body=factory.SelfAttribute("..body")
            ),
            authoriser_capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE,
            authorised_on=datetime.date(2024, 12, 1),
            authorised_at=factory.LazyFunction(_now),
        )
        filed = factory.Trait(
            authorised=True,
            state=DirectorAppointmentState.FILED,
            filed_on=datetime.date(2024, 12, 10),
            filed_at=factory.LazyFunction(_now),
        )
        active = factory.Trait(
            filed=True,
            state=DirectorAppointmentState.ACTIVE,
            starts_on=datetime.date(2025, 1, 1),
            activated_at=factory.LazyFunction(_now),
        )
        ended = factory.Trait(
            active=True,
            state=DirectorAppointmentState.ENDED,
            ended_on=datetime.date(2025, 6, 30),
            ended_at=factory.LazyFunction(_now),
            end_reason="辞职",
        )


class LeadAppointmentFactory(DjangoModelFactory):
    class Meta:
        model = LeadAppointment
        skip_postgeneration_save = True

    body = factory.SubFactory(CertificationBodyFactory)
    staff = factory.SubFactory(BodyStaffFactory, body=factory.SelfAttribute("..body"))
    nominated_under = factory.SubFactory(
        DirectorAppointmentFactory, body=factory.SelfAttribute("..body"), active=True
    )

    class Params:
        active = factory.Trait(
            state=LeadAppointmentState.ACTIVE,
            starts_on=datetime.date(2025, 2, 1),
            activated_at=factory.LazyFunction(_now),
        )
        ended = factory.Trait(
            active=True,
            state=LeadAppointmentState.ENDED,
            ended_on=datetime.date(2025, 8, 31),
            ended_at=factory.LazyFunction(_now),
            end_reason="调岗",
        )

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    body = factory.SubFactory(CertificationBodyFactory)
    number = factory.Sequence(lambda n: f"2026{n:012d}")
    product = "家用电冰箱 BCD-500"
    holder = "示例电器有限公司"
    project = factory.SubFactory(CertificationProjectFactory, body=factory.SelfAttribute("..body"))
    state = CertificateState.VALID
    issued_on = datetime.date(2025, 3, 1)
    expires_on = datetime.date(2030, 2, 28)


class FilingFactory(DjangoModelFactory):
    """A change of the director's details due for filing (Q-06)."""

    class Meta:
        model = Filing

    appointment = factory.SubFactory(DirectorAppointmentFactory, active=True)
    body = factory.SelfAttribute("appointment.body")
    kind = FilingKind.CHANGE
    changed_on = datetime.date(2026, 3, 2)
    due_on = factory.LazyAttribute(lambda o: o.changed_on + datetime.timedelta(days=30))


def account_for(staff: BodyStaff, role: str = Role.QUALITY_DIRECTOR):
    """The person's portal account in the role, bound to the body (a key role acts through it)."""
    user = UserFactory(username=f"{role}-{staff.pk}", role=role, body=staff.body)
    person = staff.person
    person.user = user
    person.save(update_fields=["user"])
    return user
