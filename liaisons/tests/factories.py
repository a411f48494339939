"""factory_boy factories of the liaison capability, a trait per application state.

``ready_application`` builds an application through the services, complete enough to submit
(L-01..L-05), so tests start from what a lab really prepares.
"""

import datetime
import hashlib
import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.constants import PoliticalStatus
from directory.tests.factories import (
    DepartmentFactory,
    PersonFactory,
    TestingLabFactory,
    UserFactory,
)
from liaisons.constants import (
    PRESCRIBED_ITEMS,
    ApplicationState,
    AssessmentItemKind,
    ChangeRequestState,
    ChangeTier,
    EvaluationRating,
    MaterialKind,
    QualificationState,
    TrainingMode,
    TrainingResult,
)
from liaisons.models import (
    ApplicationMaterial,
    AssessmentEntry,
    ChangeRequest,
    Evaluation,
    LiaisonApplication,
    LiaisonQualification,
    TrainingEnrolment,
    TrainingSession,
)
from liaisons.services.preparation import (
    assessment_entry_update,
    liaison_application_start,
    liaison_application_update,
    material_upload,
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
    """An application row in a given state; for lists and permissions.

    Without materials and training record by default. ``complete=True`` adds what a real
    application past the lab holds: the five materials (L-02) and the training assessment
    record (L-04: the three prescribed items, then one per field, evaluated and signed), with
    the declaration signed; e.g. ``LiaisonApplicationFactory(passed=True, complete=True)``.
    """

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

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        # Declared after ``fields``, so it runs after: one record entry per field applied for.
        if create and extracted:
            add_materials_and_record(self)

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
        hired = factory.Trait(
            state=ApplicationState.HIRED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            state=ApplicationState.REJECTED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
            reason="从业年限不足",
        )
        withdrawn = factory.Trait(state=ApplicationState.WITHDRAWN)


COMPLETE_APPLICANT = {
    "applicant_political_status": PoliticalStatus.MASSES,
    "applicant_phone": "13800000000",
    "applicant_work_unit": "检测实验室",
    "applicant_address": "北京市朝阳区",
}


def add_materials_and_record(application: LiaisonApplication) -> None:
    """The five materials (small valid PDFs), the signed training assessment record and the
    signed declaration, as an application past the lab holds them (L-02, L-04)."""
    # The recommendation form is filled in whole (L-03) even where the person's record, which
    # the applicant_* fields copy, left a contact field blank.
    filled = {"declaration_accepted": True}
    for field, value in COMPLETE_APPLICANT.items():
        if not getattr(application, field):
            filled[field] = value
    LiaisonApplication.objects.filter(pk=application.pk).update(**filled)
    for field, value in filled.items():
        setattr(application, field, value)
    for kind in MaterialKind.values:
        material = ApplicationMaterial(
            application=application,
            kind=kind,
            content_type="application/pdf",
            size=len(PDF_BYTES),
            sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
            original_name=f"{kind}.pdf",
            uploaded_by=application.created_by,
        )
        material.file.save("upload", ContentFile(PDF_BYTES), save=False)
        material.save()
    signed = {
        "evaluation": "合格",
        "signatory": application.lab_signatory,
        "trained_on": datetime.date(2025, 12, 1),
    }
    for position, content in enumerate(PRESCRIBED_ITEMS, start=1):
        AssessmentEntry.objects.create(
            application=application,
            position=position,
            kind=AssessmentItemKind.PRESCRIBED,
            content=str(content),
            **signed,
        )
    for position, field in enumerate(
        application.fields.order_by("position"), start=len(PRESCRIBED_ITEMS) + 1
    ):
        AssessmentEntry.objects.create(
            application=application,
            position=position,
            kind=AssessmentItemKind.FIELD,
            field=field,
            content=f"业务培训：{field.get_code_display()}",
            **signed,
        )


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


class ChangeRequestFactory(DjangoModelFactory):
    """A tier (b) request of the person's own data, routed to their lab's branch (P-03);
    a trait per state of its review."""

    class Meta:
        model = ChangeRequest

    person = factory.SubFactory(PersonFactory)
    branch = factory.SelfAttribute("person.lab.branch")
    tier = ChangeTier.IMPORTANT
    changes = factory.LazyAttribute(lambda o: {"major": "自动化"})
    previous = factory.LazyAttribute(lambda o: {"major": o.person.major})
    justification = "毕业证书专业名称已更正"
    requested_by = factory.SubFactory(
        UserFactory, lab_staff=True, lab=factory.SelfAttribute("..person.lab")
    )
    state = ChangeRequestState.SUBMITTED

    class Params:
        qualification_change = factory.Trait(
            tier=ChangeTier.QUALIFICATION,
            qualification=factory.SubFactory(
                LiaisonQualificationFactory,
                person=factory.SelfAttribute("..person"),
                lab=factory.SelfAttribute("..person.lab"),
            ),
            changes=factory.LazyAttribute(lambda o: {"fields": ["CCC", "ROHS"]}),
            previous=factory.LazyAttribute(lambda o: {"fields": ["CCC"]}),
        )
        forwarded = factory.Trait(state=ChangeRequestState.FORWARDED)
        approved = factory.Trait(
            state=ChangeRequestState.APPROVED, decided_at=factory.LazyFunction(timezone.now)
        )
        rejected = factory.Trait(
            state=ChangeRequestState.REJECTED,
            decided_at=factory.LazyFunction(timezone.now),
            decision_reason="证明材料不足",
        )


class EvaluationFactory(DjangoModelFactory):
    """A rating of a liaison over a period (L-10), by a department evaluator unless
    ``by_branch``; a trait per rating."""

    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    qualification = factory.SubFactory(LiaisonQualificationFactory)
    rating = EvaluationRating.GOOD
    comment = "按时提交报告，沟通顺畅。"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    period_end = factory.LazyFunction(timezone.localdate)
    department = factory.SubFactory(DepartmentFactory)
    branch = None
    evaluated_by = factory.SubFactory(
        UserFactory, evaluator=True, department=factory.SelfAttribute("..department")
    )

    @factory.post_generation
    def evaluated_at(self, create, extracted, **kwargs):
        # auto_now_add ignores a value given at creation; a test that needs a later one
        # (a new rating after a decision) passes it here.
        if create and extracted is not None:
            Evaluation.objects.filter(pk=self.pk).update(evaluated_at=extracted)
            self.evaluated_at = extracted

    class Params:
        by_branch = factory.Trait(
            department=None,
            branch=factory.SelfAttribute("qualification.lab.branch"),
            evaluated_by=factory.SubFactory(
                UserFactory, branch_reviewer=True, branch=factory.SelfAttribute("..branch")
            ),
        )
        adequate = factory.Trait(rating=EvaluationRating.ADEQUATE)
        poor = factory.Trait(rating=EvaluationRating.POOR, comment="多次逾期未报")


def ready_application(
    *, lab, actor, fields=("CCC",), id_number=None, name="李明", person=None
) -> LiaisonApplication:
    """A draft that passes every check of L-01..L-05, built as the lab would build it."""
    if person is None:
        person = PersonFactory.build(lab=lab)
    application = liaison_application_start(
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
    liaison_application_update(application=application, actor=actor, declaration_accepted=True)
    for entry in application.assessment_entries.all():
        assessment_entry_update(entry=entry, actor=actor, evaluation="合格", signatory="王主任")
    for kind in MaterialKind.values:
        material_upload(
            application=application, kind=kind, upload=pdf_upload(f"{kind}.pdf"), actor=actor
        )
    application.refresh_from_db()
    return application
