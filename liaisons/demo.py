"""Demo data of the liaison capability, built through the services as users would build it:
applications in every state, hired liaisons, a lab whose business scope is covered and one with
a gap, a legacy liaison awaiting migration. Idempotent: does nothing once applications exist.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from directory import registry
from directory.constants import PoliticalStatus, Role
from directory.demo import DEMO_PASSWORD
from directory.idnumbers import build_id_number
from directory.models import Person, TestingLab, User

from .constants import ApplicationState, MaterialKind, TrainingMode, TrainingResult
from .models import LiaisonApplication, LiaisonQualification, TrainingEnrolment, TrainingSession
from .services.applications import (
    liaison_application_accept,
    liaison_application_pass,
    liaison_application_reject,
    liaison_application_return,
    liaison_application_submit,
    liaison_application_withdraw,
)
from .services.coverage import coverage_refresh
from .services.documents import schedule_documents
from .services.hiring import liaison_application_hire
from .services.preparation import (
    assessment_entry_update,
    liaison_application_start,
    liaison_application_update,
    material_upload,
)

#: A one-page PDF standing in for scanned paper materials.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (name, region, birth, sequence, education)
APPLICANTS = {
    "draft": ("吴昊", "110105", datetime.date(1993, 4, 2), 101, "bachelor"),
    "submitted": ("郑爽", "110108", datetime.date(1991, 8, 19), 102, "associate"),
    "with_branch": ("冯雪", "110101", datetime.date(1989, 12, 1), 103, "bachelor"),
    "returned": ("蒋涛", "110105", datetime.date(1994, 2, 14), 104, "bachelor"),
    "passed": ("韩梅", "310104", datetime.date(1990, 6, 6), 105, "postgraduate"),
    "rejected": ("朱军", "310101", datetime.date(1986, 10, 10), 106, "associate"),
    "withdrawn": ("秦月", "310104", datetime.date(1995, 3, 3), 107, "bachelor"),
}


def _person_data(lab: TestingLab, seq: int, education: str) -> dict:
    return {
        "political_status": PoliticalStatus.MASSES,
        "education": education,
        "major": "电子信息工程",
        "phone": f"1391000{seq:04d}",
        "email": f"applicant{seq}@example.cn",
        "work_unit": lab.name,
        "address": "北京市海淀区学院路 1 号"
        if lab.branch.code == "BJ"
        else "上海市徐汇区漕宝路 2 号",
    }


def _prepare(*, lab, staff, id_number, name, fields, person_data) -> LiaisonApplication:
    application = liaison_application_start(
        lab=lab,
        actor=staff,
        id_number=id_number,
        name=name,
        fields=fields,
        person_data=person_data,
        work_started_on=datetime.date(2016, 7, 1),
        work_history="2016.07-至今 " + lab.name + " 检测工程师",
        recommendation="该同志熟悉认证检测业务，工作认真负责，同意推荐为认证联络员。",
        lab_signatory="王建国",
    )
    liaison_application_update(application=application, actor=staff, declaration_accepted=True)
    for entry in application.assessment_entries.all():
        assessment_entry_update(
            entry=entry,
            actor=staff,
            evaluation="已掌握，考核合格",
            signatory="王建国",
            trained_on=datetime.date(2026, 9, 15),
        )
    for kind in MaterialKind.values:
        material_upload(
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf"),
            actor=staff,
        )
    return application


def _advance(application, state, *, staff, reviewer, training) -> None:
    """Move a complete draft along the flow to ``state``."""
    if state == "draft":
        return
    if state == "withdrawn":
        liaison_application_submit(application=application, actor=staff)
        liaison_application_withdraw(application=application, actor=staff, comment="申请人岗位调整")
        return
    liaison_application_submit(application=application, actor=staff, comment="请审核")
    if state == "submitted":
        return
    if state == "returned":
        liaison_application_return(
            application=application,
            actor=reviewer,
            reason="公正性与保密声明须本人手签，请重新扫描上传。",
        )
        return
    liaison_application_accept(application=application, actor=reviewer)
    if state == "with_branch":
        return
    liaison_application_pass(application=application, actor=reviewer, comment="材料齐全")
    if state == "passed":
        return
    if state == "rejected":
        liaison_application_reject(
            application=application, actor=training, reason="工作经历与推荐表所填不符。"
        )
        return
    if state == "hired":
        liaison_application_hire(application=application, actor=training)
        return
    raise ValueError(state)


def _training_pass(person: Person, session: TrainingSession, training: User) -> None:
    enrolment, _ = TrainingEnrolment.objects.get_or_create(
        session=session, person=person, defaults={"enrolled_by": training}
    )
    if enrolment.result != TrainingResult.PASSED:
        enrolment.result = TrainingResult.PASSED
        enrolment.result_recorded_by = training
        enrolment.result_recorded_at = timezone.now()
        enrolment.save()


@registry.demo(order=10)  # on the directory's demo (issue 11)
@transaction.atomic
def seed_liaisons() -> None:
    if LiaisonApplication.objects.exists():
        return
    # Each step would print the forms again (a form a step changes is printed anew): print
    # them once, after commit, for every application the lab has submitted (and the hire
    # notices of those hired).
    with override_settings(LIAISON_DOCUMENTS_ON_COMMIT=False):
        _seed_liaisons()
    for application in LiaisonApplication.objects.exclude(state=ApplicationState.DRAFT):
        schedule_documents(application)


def _seed_liaisons() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "lab.beijing",
                "lab.shanghai",
                "reviewer.beijing",
                "reviewer.shanghai",
                "training",
            ]
        )
    }
    training = users["training"]
    beijing, shanghai = users["lab.beijing"].lab, users["lab.shanghai"].lab
    flows = {
        beijing.pk: (users["lab.beijing"], users["reviewer.beijing"]),
        shanghai.pk: (users["lab.shanghai"], users["reviewer.shanghai"]),
    }
    session = TrainingSession.objects.create(
        title="2026年第3期认证联络员入门培训",
        mode=TrainingMode.FACE_TO_FACE,
        starts_on=datetime.date(2026, 9, 21),
        ends_on=datetime.date(2026, 9, 22),
        location="CQC 培训中心 北京市海淀区",
        capacity=40,
        created_by=training,
    )

    # Hired: the Beijing lab's whole scope is covered (L-06); Shanghai lacks CB and CE.
    hires = [
        (beijing, Person.objects.get(name="张伟", lab=beijing), ["CCC", "CQC_MARK"]),
        (beijing, Person.objects.get(name="李娜", lab=beijing), ["ROHS", "PSE"]),
        (shanghai, Person.objects.get(name="刘洋", lab=shanghai), ["CCC"]),
    ]
    for lab, person, fields in hires:
        staff, reviewer = flows[lab.pk]
        data = {
            key: getattr(person, key) or value
            for key, value in _person_data(lab, person.pk, person.education).items()
        }
        application = _prepare(
            lab=lab,
            staff=staff,
            id_number=person.id_number,
            name=person.name,
            fields=fields,
            person_data=data,
        )
        _training_pass(person, session, training)
        _advance(application, "hired", staff=staff, reviewer=reviewer, training=training)

    # One application in every other state.
    for index, (state, (name, region, birth, seq, education)) in enumerate(APPLICANTS.items()):
        lab = beijing if index % 2 == 0 else shanghai
        staff, reviewer = flows[lab.pk]
        fields = ["CCC"] if lab == beijing else ["CB", "CE"]
        application = _prepare(
            lab=lab,
            staff=staff,
            id_number=build_id_number(region, birth, seq),
            name=name,
            fields=fields,
            person_data=_person_data(lab, seq, education),
        )
        if state == "passed":
            _training_pass(application.person, session, training)
        _advance(application, state, staff=staff, reviewer=reviewer, training=training)

    # A liaison hired on paper before the system, not yet migrated (L-13).
    energy_lab = TestingLab.objects.filter(name="北京节能产品检测中心").first()
    legacy_person = Person.objects.filter(name="王芳").first()
    if (
        energy_lab
        and legacy_person
        and not LiaisonQualification.objects.filter(person=legacy_person).exists()
    ):
        legacy = LiaisonQualification.objects.create(
            person=legacy_person,
            lab=energy_lab,
            hired_on=datetime.date(2009, 5, 4),
            is_legacy=True,
        )
        legacy.fields.set(["MARK_ENERGY_WATER", "CQC_MARK"])
        coverage_refresh(lab=energy_lab)
    for lab in TestingLab.objects.all():
        coverage_refresh(lab=lab)
    # Accounts the branch centres created (L-08) get the demo password, so that every demo
    # liaison can sign in with their ID number; real ones set theirs by the e-mailed link.
    for account in User.objects.filter(role=Role.PERSON, password__startswith="!"):  # noqa: S106 - unusable ones
        account.set_password(DEMO_PASSWORD)
        account.save(update_fields=["password"])
