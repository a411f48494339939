"""factory_boy factories of the liaison capability, a trait per application state.

``ready_application`` builds an application through the services, complete enough to submit
(L-01..L-05), so tests start from what a lab really prepares.
"""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.constants import PoliticalStatus
from directory.tests.factories import PersonFactory, TestingLabFactory, UserFactory
from liaisons import services
from liaisons.constants import (
    ApplicationState,
    MaterialKind,
    QualificationState,
    TrainingMode,
    TrainingResult,
)
from liaisons.models import (
    LiaisonApplication,
    LiaisonQualification,
    TrainingEnrolment,
    TrainingSession,
)

#: The smallest files that pass the content checks (L-02).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_upload(name: str = "form.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class LiaisonApplicationFactory(DjangoModelFactory):
    """An application row in a given state, without materials; for lists and permissions."""

    class Meta:
        model = LiaisonApplication
        skip_postgeneration_save = True

    lab = factory.SubFactory(TestingLabFactory)
    person = factory.SubFactory(PersonFactory, lab=factory.SelfAttribute("..lab"))
    created_by = factory.SubFactory(UserFactory, lab_staff=True, lab=factory.SelfAttribute("..lab"))
    # The applicant as the application states them: what the person's record holds.
    applicant_name = factory.SelfAttribute("person.name")
    applicant_political_status = factory.SelfAttribute("person.political_status")
    applicant_education = factory.SelfAttribute("person.education")
    applicant_major = factory.SelfAttribute("person.major")
    applicant_phone = factory.SelfAttribute("person.phone")
    applicant_email = factory.SelfAttribute("person.email")
    applicant_work_unit = factory.SelfAttribute("person.work_unit")
    applicant_address = factory.SelfAttribute("person.address")
    state = ApplicationState.DRAFT
    work_started_on = datetime.date(2015, 7, 1)
    work_history = "2015-至今 检测工程师"
    recommendation = "同意推荐"
    lab_signatory = "王主任"

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.set(extracted if extracted is not None else ["CCC"])

    class Params:
        submitted = factory.Trait(
            state=ApplicationState.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        with_branch = factory.Trait(
            state=ApplicationState.WITH_BRANCH, submitted_at=factory.LazyFunction(timezone.now)
        )
        passed = factory.Trait(
            state=ApplicationState.PASSED, submitted_at=factory.LazyFunction(timezone.now)
        )
        returned = factory.Trait(state=ApplicationState.RETURNED, reason="材料不全")


class LiaisonQualificationFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonQualification
        skip_postgeneration_save = True

    lab = factory.SubFactory(TestingLabFactory)
    person = factory.SubFactory(PersonFactory, lab=factory.SelfAttribute("..lab"))
    state = QualificationState.ACTIVE
    hired_on = datetime.date(2026, 1, 5)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.set(extracted if extracted is not None else ["CCC"])

    class Params:
        suspended = factory.Trait(state=QualificationState.SUSPENDED)
        legacy = factory.Trait(is_legacy=True, hired_on=datetime.date(2008, 3, 1))


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    title = factory.Sequence(lambda n: f"认证联络员入门培训 第{n}期")
    mode = TrainingMode.FACE_TO_FACE
    starts_on = datetime.date(2026, 3, 2)
    ends_on = datetime.date(2026, 3, 3)
    created_by = factory.SubFactory(UserFactory)


class TrainingEnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = TrainingEnrolment

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(PersonFactory)
    enrolled_by = factory.SelfAttribute("session.created_by")
    result = TrainingResult.ENROLLED

    class Params:
        passed = factory.Trait(result=TrainingResult.PASSED)
        failed = factory.Trait(result=TrainingResult.FAILED)


def ready_application(
    *, lab, actor, fields=("CCC",), id_number=None, name="李明", person=None
) -> LiaisonApplication:
    """A draft that passes every check of L-01..L-05, built as the lab would build it."""
    if person is None:
        person = PersonFactory.build(lab=lab)
    application = services.liaison_application_start(
        lab=lab,
        actor=actor,
        id_number=id_number or person.id_number,
        name=person.name if id_number is None and name == "李明" and person.pk else name,
        fields=fields,
        person_data={
            "political_status": PoliticalStatus.MASSES,
            "education": "bachelor",
            "major": "电气工程",
            "phone": "13800000000",
            "email": "applicant@example.cn",
            "work_unit": lab.name,
            "address": "北京市朝阳区",
        },
        work_started_on=datetime.date(2015, 7, 1),
        work_history="2015-至今 某检测实验室 检测工程师",
        recommendation="该同志业务熟练，同意推荐。",
        lab_signatory="王主任",
    )
    services.liaison_application_update(
        application=application, actor=actor, declaration_accepted=True
    )
    for entry in application.assessment_entries.all():
        services.assessment_entry_update(
            entry=entry, actor=actor, evaluation="合格", signatory="王主任"
        )
    for kind in MaterialKind.values:
        services.material_upload(
            application=application, kind=kind, upload=pdf_upload(f"{kind}.pdf"), actor=actor
        )
    application.refresh_from_db()
    return application
