"""The liaison capability through the REST API: the same flow, scope and rules as the screens."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from directory.constants import PoliticalStatus
from directory.models import Person
from directory.tests.factories import PersonFactory
from liaisons.constants import ApplicationState, MaterialKind, QualificationState
from liaisons.models import ApplicationMaterial, LiaisonApplication
from liaisons.services.applications import liaison_application_submit
from liaisons.services.preparation import liaison_application_start
from liaisons.tests.factories import (
    PDF_BYTES,
    LiaisonApplicationFactory,
    LiaisonQualificationFactory,
    TrainingEnrolmentFactory,
    pdf_upload,
    ready_application,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/liaisons/applications/"
ROSTER = "/api/liaisons/roster/"


def _api(user=None, *, token=False) -> APIClient:
    """A client in English (messages are asserted), signed in as ``user`` if one is given."""
    api = APIClient()
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    if token:
        key = Token.objects.create(user=user).key
        api.credentials(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")
    elif user is not None:
        api.force_authenticate(user)
    return api


def _start_payload(person, **extra) -> dict:
    return {
        "id_number": person.id_number,
        "name": person.name,
        "fields": ["CCC", "ROHS"],
        "person_data": {
            "political_status": PoliticalStatus.MASSES,
            "education": "bachelor",
            "major": "电气工程",
            "phone": "13800000000",
            "email": "applicant@example.cn",
            "work_unit": "实验室A",
            "address": "北京市朝阳区",
        },
        "work_started_on": "2015-07-01",
        "work_history": "2015-至今 检测工程师",
        "recommendation": "同意推荐。",
        "lab_signatory": "王主任",
        **extra,
    }


def _stored_files(folder: str = "") -> set[str]:
    directories, files = default_storage.listdir(folder) if folder else default_storage.listdir("")
    names = {f"{folder}/{name}".lstrip("/") for name in files}
    for directory in directories:
        names |= _stored_files(f"{folder}/{directory}".lstrip("/"))
    return names


def _step(api, application_id, step, **payload):
    return api.post(f"{APPLICATIONS}{application_id}/{step}/", payload, format="json")


def _submitted(world) -> LiaisonApplication:
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_submit(application=application, actor=world.lab_a_staff)
    application.refresh_from_db()
    return application


def test_the_whole_journey_from_lab_to_roster(world):
    # rule L-07, rule L-02, rule L-04, rule P-02, rule L-11, rule P-04
    lab = _api(world.lab_a_staff, token=True)
    applicant = PersonFactory.build(lab=world.lab_a, name="赵联络")
    created = lab.post(APPLICATIONS, _start_payload(applicant), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    app_id = body["id"]
    assert body["state"] == ApplicationState.DRAFT
    assert body["fields"] == ["CCC", "ROHS"]
    assert body["applicant"]["id_number"] == applicant.masked_id_number
    assert applicant.id_number not in created.content.decode()

    assert lab.patch(
        f"{APPLICATIONS}{app_id}/", {"declaration_accepted": True}, format="json"
    ).json()["declaration_accepted"]

    for kind in MaterialKind.values:
        upload = lab.post(
            f"{APPLICATIONS}{app_id}/materials/",
            {"kind": kind, "file": pdf_upload(f"{applicant.id_number}.pdf")},
            format="multipart",
        )
        assert upload.status_code == 201, upload.json()
    materials = lab.get(f"{APPLICATIONS}{app_id}/materials/").json()
    assert sorted(m["kind"] for m in materials) == sorted(MaterialKind.values)
    assert all(m["content_type"] == "application/pdf" and m["size"] for m in materials)
    assert materials[0]["download_url"].endswith(f"/liaisons/materials/{materials[0]['id']}/")
    assert applicant.id_number not in str(materials)  # the uploaded name is not shown

    entries = lab.get(f"{APPLICATIONS}{app_id}/assessment-entries/").json()
    assert [e["kind"] for e in entries] == ["prescribed"] * 3 + ["field"] * 2
    assert [e["field"] for e in entries[3:]] == ["CCC", "ROHS"]
    for entry in entries:
        signed = lab.patch(
            f"/api/liaisons/assessment-entries/{entry['id']}/",
            {"evaluation": "合格", "signatory": "王主任", "trained_on": "2026-03-02"},
            format="json",
        )
        assert signed.status_code == 200 and signed.json()["signatory"] == "王主任"

    assert _step(lab, app_id, "submit").json()["state"] == ApplicationState.SUBMITTED

    branch = _api(world.branch_n_reviewer)
    assert _step(branch, app_id, "accept", comment="收到").json()["state"] == "with_branch"
    returned = _step(branch, app_id, "return", reason="推荐表未盖章")
    assert returned.json()["state"] == ApplicationState.RETURNED
    assert lab.get(f"{APPLICATIONS}{app_id}/").json()["reason"] == "推荐表未盖章"

    resubmitted = _step(lab, app_id, "submit", comment="已盖章")
    assert resubmitted.json()["state"] == ApplicationState.SUBMITTED
    assert _step(branch, app_id, "accept").json()["state"] == ApplicationState.WITH_BRANCH
    assert _step(branch, app_id, "pass").json()["state"] == ApplicationState.PASSED

    person = Person.objects.get(id_number=applicant.id_number)
    TrainingEnrolmentFactory(person=person, passed=True)
    hired = _step(_api(world.training_admin), app_id, "hire", comment="同意聘用")
    assert hired.status_code == 200, hired.json()
    assert hired.json()["state"] == ApplicationState.HIRED
    assert hired.json()["qualification"] is not None

    person.refresh_from_db()
    roster = _api().get(ROSTER, {"q": "赵联络"})
    assert roster.status_code == 200
    assert roster.json()["results"] == [
        {
            "name": "赵联络",
            "employment_number": person.employment_number,
            "lab": world.lab_a.name,
            "lab_id": world.lab_a.pk,
            "fields": ["CCC", "ROHS"],
            "state": QualificationState.ACTIVE,
            "state_display": "Active",
        }
    ]
    assert person.employment_number
    text = roster.content.decode()
    assert applicant.id_number not in text and person.masked_id_number not in text


def test_submit_is_refused_with_every_missing_item_and_its_rule(world):
    # rule L-02, rule L-03, rule L-05, rule L-07
    lab = _api(world.lab_a_staff)
    payload = {"id_number": world.person_a.id_number, "name": world.person_a.name}
    app_id = lab.post(APPLICATIONS, payload, format="json").json()["id"]
    refused = _step(lab, app_id, "submit")
    assert refused.status_code == 400
    body = refused.json()
    assert {"L-02", "L-03", "L-05"} <= set(body["codes"])
    assert len(body["detail"]) == len(body["codes"])
    assert all(
        message.startswith(f"{code}: ")
        for message, code in zip(body["detail"], body["codes"], strict=True)
    )
    assert any("recommendation form" in m.lower() for m in body["detail"])
    assert LiaisonApplication.objects.get(pk=app_id).state == ApplicationState.DRAFT


def test_hire_without_entry_training_is_refused_naming_the_rule(world):
    # rule L-09
    application = LiaisonApplicationFactory(lab=world.lab_a, person=world.person_a, passed=True)
    refused = _step(_api(world.training_admin), application.pk, "hire")
    assert refused.status_code == 400
    assert refused.json()["codes"] == ["L-09"]
    application.refresh_from_db()
    assert application.state == ApplicationState.PASSED


def test_another_labs_application_is_absent_not_forbidden(world):
    # rule L-07: lab B finds nothing of lab A's (404 alike for missing and forbidden)
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    entry = application.assessment_entries.first()
    other = _api(world.lab_b_staff)
    url = f"{APPLICATIONS}{application.pk}/"
    assert other.get(url).status_code == 404
    assert other.patch(url, {"work_history": "x"}, format="json").status_code == 404
    assert _step(other, application.pk, "submit").status_code == 404
    assert _step(other, application.pk, "withdraw").status_code == 404
    assert other.get(f"{url}materials/").status_code == 404
    upload = {"kind": MaterialKind.ID_CARD, "file": pdf_upload()}
    assert other.post(f"{url}materials/", upload, format="multipart").status_code == 404
    assert other.get(f"{url}assessment-entries/").status_code == 404
    entry_url = f"/api/liaisons/assessment-entries/{entry.pk}/"
    assert other.patch(entry_url, {"evaluation": "x"}, format="json").status_code == 404
    assert other.get(APPLICATIONS).json()["count"] == 0
    assert other.get(f"{APPLICATIONS}999999/").status_code == 404
    application.refresh_from_db()
    assert application.work_history != "x" and application.state == ApplicationState.DRAFT


def test_lab_staff_may_not_take_the_branch_centres_steps(world):
    # rule L-07: in scope but not theirs → 403; another branch centre → 404
    application = _submitted(world)
    lab = _api(world.lab_a_staff)
    assert _step(lab, application.pk, "accept").status_code == 403
    assert _step(lab, application.pk, "return", reason="x").status_code == 403
    assert _step(_api(world.branch_n_reviewer), application.pk, "hire").status_code == 403
    assert _step(_api(world.branch_s_reviewer), application.pk, "accept").status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_return_and_reject_require_a_reason(world):
    # rule L-07: a return or a rejection requires a reason
    application = _submitted(world)
    branch = _api(world.branch_n_reviewer)
    for payload in ({}, {"reason": "   "}):
        refused = _step(branch, application.pk, "return", **payload)
        assert refused.status_code == 400
        assert "reason" in refused.json()["fields"]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED

    passed = LiaisonApplicationFactory(lab=world.lab_b, person=world.person_b, passed=True)
    training = _api(world.training_admin)
    assert _step(training, passed.pk, "reject").status_code == 400
    passed.refresh_from_db()
    assert passed.state == ApplicationState.PASSED
    rejected = _step(training, passed.pk, "reject", reason="不符合条件")
    assert rejected.json()["state"] == ApplicationState.REJECTED
    assert rejected.json()["reason"] == "不符合条件"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, renamed", "Only PDF, JPEG or PNG"),
        (b"%PDF-1.4 no end of file", "damaged"),
        (b"", "empty"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(world, content, message):
    # rule L-02: materials are checked by content
    application = liaison_application_start(
        lab=world.lab_a,
        actor=world.lab_a_staff,
        id_number=world.person_a.id_number,
        name=world.person_a.name,
    )
    upload = SimpleUploadedFile("推荐表.pdf", content, content_type="application/pdf")
    stored_before = _stored_files()
    refused = _api(world.lab_a_staff).post(
        f"{APPLICATIONS}{application.pk}/materials/",
        {"kind": MaterialKind.RECOMMENDATION_FORM, "file": upload},
        format="multipart",
    )
    assert refused.status_code == 400
    assert message in " ".join(refused.json()["detail"])
    assert not ApplicationMaterial.objects.filter(application=application).exists()
    assert _stored_files() == stored_before


def test_materials_can_be_changed_only_while_the_lab_prepares(world):
    # rule L-07: once submitted, the lab changes nothing until it is returned
    application = _submitted(world)
    lab = _api(world.lab_a_staff)
    upload = {"kind": MaterialKind.ID_CARD, "file": pdf_upload()}
    url = f"{APPLICATIONS}{application.pk}/"
    assert lab.post(f"{url}materials/", upload, format="multipart").status_code == 403
    entry = application.assessment_entries.first()
    entry_url = f"/api/liaisons/assessment-entries/{entry.pk}/"
    assert lab.patch(entry_url, {"evaluation": "x"}, format="json").status_code == 403
    changed = lab.patch(url, {"work_history": "x"}, format="json")
    assert changed.status_code == 400 and changed.json()["codes"] == ["not_editable"]
    assert _step(lab, application.pk, "withdraw").json()["state"] == ApplicationState.WITHDRAWN


def test_id_numbers_are_masked_in_lists_and_full_only_where_the_role_needs_them(world):
    # rule P-04
    application = _submitted(world)
    person = application.person
    lab = _api(world.lab_a_staff)
    branch = _api(world.branch_n_reviewer)
    detail = f"{APPLICATIONS}{application.pk}/"
    for api in (lab, branch):
        listed = api.get(APPLICATIONS)
        assert listed.json()["results"][0]["applicant"]["id_number"] == person.masked_id_number
        assert person.id_number not in listed.content.decode()
    assert lab.get(detail).json()["applicant"]["id_number"] == person.masked_id_number
    assert branch.get(detail).json()["applicant"]["id_number"] == person.id_number
    # A step's answer is not a place to read the full number either.
    accepted = _step(branch, application.pk, "accept")
    assert accepted.json()["applicant"]["id_number"] == person.masked_id_number


def test_the_application_list_filters(world):
    # rule L-07: the branch centre finds what waits for it
    submitted = _submitted(world)
    draft = LiaisonApplicationFactory(lab=world.lab_a, fields=["ROHS"])
    lab = _api(world.lab_a_staff)

    def ids(**params):
        return {a["id"] for a in lab.get(APPLICATIONS, params).json()["results"]}

    assert ids() == {submitted.pk, draft.pk}
    assert ids(state="submitted") == {submitted.pk}
    assert ids(field="ROHS") == {draft.pk}
    assert ids(lab=world.lab_b.pk) == set()
    today = timezone.localdate()
    assert ids(submitted_after=today.isoformat()) == {submitted.pk}
    assert ids(submitted_before=(today - datetime.timedelta(days=1)).isoformat()) == set()
    assert _api(world.branch_n_reviewer).get(APPLICATIONS).json()["count"] == 1  # no drafts


def test_anonymous_callers_get_no_application(world):
    LiaisonApplicationFactory(lab=world.lab_a, submitted=True)
    assert _api().get(APPLICATIONS).status_code in {401, 403}


def test_qualifications_are_scoped_and_filtered(world):
    # rule L-11 is public; the qualification list is the caller's scope only
    own = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b)
    lab = _api(world.lab_a_staff)
    listed = lab.get("/api/liaisons/qualifications/").json()["results"]
    assert [q["id"] for q in listed] == [own.pk]
    assert listed[0]["applicant"]["id_number"] == world.person_a.masked_id_number
    assert lab.get("/api/liaisons/qualifications/", {"state": "suspended"}).json()["count"] == 0
    assert _api(world.training_admin).get("/api/liaisons/qualifications/").json()["count"] == 2


def test_the_lab_confirms_a_departure(world):
    # rule L-12: the lab confirms; the qualification is suspended or cancelled
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    url = f"/api/liaisons/qualifications/{qualification.pk}/departure/"
    today = timezone.localdate()
    payload = {"reason": "transfer", "left_on": today.isoformat(), "outcome": "suspend"}
    assert _api(world.lab_b_staff).post(url, payload, format="json").status_code == 404
    assert _api(world.branch_n_reviewer).post(url, payload, format="json").status_code == 403
    lab = _api(world.lab_a_staff)
    future = {**payload, "left_on": (today + datetime.timedelta(days=3)).isoformat()}
    refused = lab.post(url, future, format="json")
    assert refused.status_code == 400 and "left_on" in refused.json()["fields"]
    confirmed = lab.post(url, {**payload, "comment": "调往总部"}, format="json")
    assert confirmed.status_code == 201
    assert confirmed.json()["qualification_state"] == QualificationState.SUSPENDED
    qualification.refresh_from_db()
    assert qualification.state == QualificationState.SUSPENDED


def test_the_roster_is_public_and_searchable_without_id_numbers(world):
    # rule L-11, rule P-04
    Person.objects.filter(pk=world.person_a.pk).update(employment_number="26000001")
    Person.objects.filter(pk=world.person_b.pk).update(employment_number="26000002")
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"])
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, suspended=True)
    public = _api()

    def names(**params):
        response = public.get(ROSTER, params)
        assert response.status_code == 200
        assert world.person_a.id_number not in response.content.decode()
        assert all("id_number" not in entry for entry in response.json()["results"])
        return [entry["name"] for entry in response.json()["results"]]

    assert names() == sorted([world.person_a.name, world.person_b.name])
    assert names(q=world.person_a.name) == [world.person_a.name]
    assert names(q="26000002") == [world.person_b.name]
    # Never searchable by ID number; in a query string one is refused (P-04, issue 9).
    refused = public.get(ROSTER, {"q": world.person_a.id_number})
    assert refused.status_code == 400
    assert world.person_a.id_number not in refused.content.decode()
    assert names(lab=world.lab_a.pk) == [world.person_a.name]
    assert names(field="ROHS") == [world.person_a.name]
    assert names(state="suspended") == [world.person_b.name]


def test_coverage_of_a_labs_business_scope(world):
    # rule L-06
    url = f"/api/liaisons/labs/{world.lab_a.pk}/coverage/"
    lab = _api(world.lab_a_staff)
    before = lab.get(url).json()
    assert before["gaps"] == ["CCC", "ROHS"]
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC"])
    after = lab.get(url).json()
    assert [(f["code"], f["covered"]) for f in after["fields"]] == [
        ("CCC", True),
        ("ROHS", False),
    ]
    assert after["gaps"] == ["ROHS"]
    assert _api(world.branch_n_reviewer).get(url).json()["gaps"] == ["ROHS"]
    assert _api(world.lab_b_staff).get(url).status_code == 404


def test_the_schema_documents_the_liaison_api_without_warnings(tmp_path):
    # Every operation has its request and answer described (drf-spectacular, --fail-on-warn).
    GENERATOR_STATS.reset()
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = path.read_text()
    for operation in (
        "/api/liaisons/applications/{id}/submit/",
        "/api/liaisons/applications/{id}/materials/",
        "/api/liaisons/assessment-entries/{id}/",
        "/api/liaisons/qualifications/{id}/departure/",
        "/api/liaisons/roster/",
        "/api/liaisons/labs/{id}/coverage/",
    ):
        assert f"{operation}:" in schema


def test_a_pdf_upload_replaces_the_material_of_its_kind(world):
    # rule L-02: one current file per material
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    before = application.materials.get(kind=MaterialKind.ID_CARD)
    replaced = _api(world.lab_a_staff).post(
        f"{APPLICATIONS}{application.pk}/materials/",
        {"kind": MaterialKind.ID_CARD, "file": pdf_upload()},
        format="multipart",
    )
    assert replaced.status_code == 201 and replaced.json()["id"] == before.pk
    assert application.materials.count() == len(MaterialKind.values)
    assert replaced.json()["size"] == len(PDF_BYTES)
