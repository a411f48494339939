"""factory_boy factories of the directory; valid ID numbers and USCCs are computed."""

import datetime

import factory
from factory.django import DjangoModelFactory

from directory.constants import CertificationFieldCode, Education, Role
from directory.idnumbers import birth_date_of, build_id_number, build_uscc, sex_of
from directory.models import (
    BranchCentre,
    CertificationBody,
    CertificationField,
    Department,
    Person,
    TestingLab,
    User,
)

PASSWORD = "test-pass-2026"


class BranchCentreFactory(DjangoModelFactory):
    class Meta:
        model = BranchCentre
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"分中心 {n}")
    email = factory.LazyAttribute(lambda o: f"{o.code.lower()}@cqc.example.cn")


class TestingLabFactory(DjangoModelFactory):
    class Meta:
        model = TestingLab
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"检测实验室 {n}")
    uscc = factory.Sequence(lambda n: build_uscc(f"91110000{n:09d}"))
    branch = factory.SubFactory(BranchCentreFactory)
    email = factory.Sequence(lambda n: f"lab{n}@lab.example.cn")

    @factory.post_generation
    def business_scope(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else [CertificationFieldCode.CCC]
        if create:
            self.business_scope.set(CertificationField.objects.filter(code__in=codes))


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"产品部 {n}")
    kind = "product"


class CertificationBodyFactory(DjangoModelFactory):
    class Meta:
        model = CertificationBody

    name = factory.Sequence(lambda n: f"认证机构 {n}")
    uscc = factory.Sequence(lambda n: build_uscc(f"91310000{n + 500000000:09d}"))


def _id_number(n: int) -> str:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=(n * 37) % 12000)
    return build_id_number("110105", birth, n % 1000)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.Sequence(lambda n: _id_number(n + 1))
    name = factory.Sequence(lambda n: f"测试人员{n}")
    birth_date = factory.LazyAttribute(lambda o: birth_date_of(o.id_number))
    sex = factory.LazyAttribute(lambda o: sex_of(o.id_number))
    education = Education.BACHELOR
    major = "电气工程"
    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    lab = factory.SubFactory(TestingLabFactory)
    body = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    role = Role.TRAINING_ADMIN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()

    class Params:
        lab_staff = factory.Trait(role=Role.LAB_STAFF, lab=factory.SubFactory(TestingLabFactory))
        branch_reviewer = factory.Trait(
            role=Role.BRANCH_REVIEWER, branch=factory.SubFactory(BranchCentreFactory)
        )
        evaluator = factory.Trait(
            role=Role.DEPARTMENT_EVALUATOR, department=factory.SubFactory(DepartmentFactory)
        )
        body_admin = factory.Trait(
            role=Role.BODY_ADMIN, body=factory.SubFactory(CertificationBodyFactory)
        )
        quality_director = factory.Trait(
            role=Role.QUALITY_DIRECTOR, body=factory.SubFactory(CertificationBodyFactory)
        )
        project_quality_lead = factory.Trait(
            role=Role.PROJECT_QUALITY_LEAD, body=factory.SubFactory(CertificationBodyFactory)
        )
        inspector = factory.Trait(role=Role.REGULATOR_INSPECTOR)
