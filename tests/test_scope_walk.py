"""Every URL that takes an object id answers 404 to users outside the object's scope.

The walk covers every pattern of the URLconf, so a new URL is covered as soon as it exists:
its view must name its model (``model`` on a Django view, ``queryset`` on a DRF view), and the
model must have an entry in ``OUT_OF_SCOPE`` below, or this test fails and says so.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access_audit.models import (
    AuditCampaign,
    CampaignEntry,
    EnforcementRun,
    EvidenceFile,
    LoginRight,
    LoginRightRequest,
)
from directory.models import BranchCentre, CertificationBody, Person, TestingLab
from liaisons.models import (
    ApplicationMaterial,
    AssessmentEntry,
    ChangeRequest,
    LiaisonApplication,
    LiaisonQualification,
    TrainingSession,
)
from liaisons.tests.factories import LiaisonQualificationFactory, TrainingSessionFactory
from quality_roles.models import (
    AccountabilityCase,
    BodyStaff,
    Certificate,
    CertificationProject,
    CooperationProposal,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    DirectorMeasure,
    ExternalLab,
    Filing,
    IncidentReport,
    LabCooperation,
    LeadAppointment,
    RectificationOrder,
    SpotCheck,
)

from .scope_walk_quality_roles import quality_roles as _quality_roles

pytestmark = pytest.mark.django_db

#: URL namespaces outside the walk. The Django admin answers every non-staff user with its
#: sign-in page, whatever the object, and portal users of labs, branches and bodies are never
#: staff (tests/test_auth.py proves that).
EXCLUDED_NAMESPACES = {"admin"}

OBJECT_ID = re.compile(r"(^pk$|_pk$|^id$|_id$|^object_id$)")


def _quality_role_walk(model):
    def cases(w):
        own, foreign = _quality_roles(w, model)
        if model is RectificationOrder:
            # A rectification order follows a spot check or a failed assessment,
            # each with pages of its own that show no order of the other kind: here only the
            # foreign one is walked (the own pages: quality_roles/tests/test_*_views.py).
            return [
                (w.body_x_admin, foreign, None),
                (w.body_y_admin, own, None),
                (w.lab_a_staff, own, None),
                (w.evaluator, own, None),
            ]
        return [
            (w.body_x_admin, foreign, own),
            (w.body_y_admin, own, foreign),
            (w.lab_a_staff, own, None),
            (w.branch_n_reviewer, own, None),
            (w.evaluator, own, None),
        ]

    return cases


#: For each model: (viewer, an object outside the viewer's scope, an object inside it or None).
OUT_OF_SCOPE = {
    Person: lambda w: [
        (w.lab_a_staff, w.person_b, w.person_a),
        (w.lab_a_staff, w.person_x, w.person_a),
        (w.branch_n_reviewer, w.person_b, w.person_a),
        (w.body_x_admin, w.person_y, w.person_x),
        (w.body_x_admin, w.person_a, w.person_x),
        (w.evaluator, w.person_b, None),
        (w.inspector, w.person_a, w.person_x),
    ],
    TestingLab: lambda w: [
        (w.lab_a_staff, w.lab_b, w.lab_a),
        (w.branch_n_reviewer, w.lab_b, w.lab_a),
        (w.body_x_admin, w.lab_a, None),
        (w.evaluator, w.lab_b, None),
    ],
    BranchCentre: lambda w: [
        (w.lab_a_staff, w.branch_s, w.branch_n),
        (w.branch_n_reviewer, w.branch_s, w.branch_n),
        (w.body_x_admin, w.branch_n, None),
    ],
    CertificationBody: lambda w: [
        (w.body_x_admin, w.body_y, w.body_x),
        (w.lab_a_staff, w.body_x, None),
        (w.branch_n_reviewer, w.body_x, None),
    ],
    # Qualification of lab A (person A) and of lab B (person B), made for the walk.
    LiaisonQualification: lambda w: (
        lambda a, b: [
            (w.lab_a_staff, b, a),
            (w.branch_n_reviewer, b, a),
            (w.body_x_admin, a, None),
            (w.evaluator, b, None),
        ]
    )(
        LiaisonQualificationFactory(lab=w.lab_a, person=w.person_a),
        LiaisonQualificationFactory(lab=w.lab_b, person=w.person_b),
    ),
    # Entry training is the training centre's alone (L-09): no one else sees a session.
    TrainingSession: lambda w: (
        lambda session: [
            (w.lab_a_staff, session, None),
            (w.branch_n_reviewer, session, None),
            (w.evaluator, session, None),
            (w.body_x_admin, session, None),
        ]
    )(TrainingSessionFactory(created_by=w.training_admin)),
    # Lab A's application (person A signed in) and lab B's, each with a material.
    LiaisonApplication: lambda w: (
        lambda person, own, foreign: [
            (w.lab_a_staff, foreign, own),
            (w.branch_n_reviewer, foreign, own),
            (person, foreign, own),
        ]
    )(*_liaison_applications(w)),
    ApplicationMaterial: lambda w: (
        lambda person, own, foreign: [
            (w.lab_a_staff, foreign, own),
            (w.branch_n_reviewer, foreign, own),
            (person, foreign, own),
        ]
    )(*_liaison_applications(w, materials=True)),
    # P-03: person A's request (lab A, routed to branch N) and person B's (lab B, branch S),
    # each with a change form so its download answers too.
    ChangeRequest: lambda w: (
        lambda own, foreign: [
            (w.branch_n_reviewer, foreign, own),
            (w.lab_a_staff, foreign, own),
            (w.lab_b_staff, own, foreign),
        ]
    )(*_change_requests(w)),
    # a draft campaign is the training centre's alone; an open one is every lab's
    # and branch's to see, its entries each their own lab's (and its branch centre's).
    AuditCampaign: lambda w: (
        lambda draft, opened: [
            (w.lab_a_staff, draft, opened),
            (w.branch_n_reviewer, draft, opened),
            (w.body_x_admin, opened, None),
            (w.evaluator, opened, None),
            (w.inspector, opened, None),
        ]
    )(*_campaigns(w)),
    CampaignEntry: lambda w: (
        lambda a, b: [
            (w.lab_a_staff, b, a),
            (w.branch_n_reviewer, b, a),
            (w.lab_b_staff, a, b),
            (w.body_x_admin, a, None),
            (w.evaluator, a, None),
        ]
    )(*_campaign_entries(w)),
    # The first training-record entry (L-04) of lab A's application and of lab B's.
    AssessmentEntry: lambda w: (
        lambda person, own, foreign: [
            (w.lab_a_staff, foreign, own),
            (w.branch_n_reviewer, foreign, own),
            (person, foreign, own),
        ]
    )(*_assessment_entries(w)),
    # an account and a request of lab A's person A, and of lab B's person B.
    LoginRight: lambda w: (
        lambda own, foreign: [
            (w.lab_a_staff, foreign, own),
            (w.branch_n_reviewer, foreign, own),
            (w.lab_b_staff, own, foreign),
            (w.evaluator, own, None),
            (w.body_x_admin, own, None),
        ]
    )(*_login_rights(w)),
    LoginRightRequest: lambda w: (
        lambda own, foreign: [
            (w.lab_a_staff, foreign, own),
            (w.branch_n_reviewer, foreign, own),
            (w.lab_b_staff, own, foreign),
            (w.evaluator, own, None),
            (w.body_x_admin, own, None),
        ]
    )(*_login_rights(w, requests=True)),
    # the deadline job's own pages of a run (its counts, the confirmation of a held
    # run) are the CQC-wide departments'; the page of what a done run took away is every lab's
    # and branch's too, each its own rows (access_audit/tests/test_evidence_views.py), so here
    # a lab and a branch are walked with a dry run, which no page shows them.
    EnforcementRun: lambda w: (
        lambda done, dry: [
            (w.lab_a_staff, dry, None),
            (w.branch_n_reviewer, dry, None),
            (w.body_x_admin, done, None),
            (w.evaluator, done, None),
            (w.inspector, done, None),
        ]
    )(*_enforcement_runs(w)),
    EvidenceFile: lambda w: (
        lambda evidence: [
            (w.lab_a_staff, evidence, None),
            (w.branch_n_reviewer, evidence, None),
            (w.body_x_admin, evidence, None),
            (w.evaluator, evidence, None),
        ]
    )(_evidence_file(w)),
    # The quality roles of body X and of body Y: body staff see their own body's,
    # inspectors every body's, nobody else any.
    **{
        model: _quality_role_walk(model)
        for model in (
            BodyStaff,
            DirectorAppointment,
            LeadAppointment,
            Filing,
            Certificate,
            CertificationProject,
            IncidentReport,
            SpotCheck,
            RectificationOrder,
            DirectorMeasure,
            ExternalLab,
            LabCooperation,
            CooperationProposal,
            DirectorAdvice,
            AccountabilityCase,
            DirectorAssessment,
        )
    },
}


def _campaigns(w):
    """A draft campaign and an open one holding person A's (lab A) and person B's (lab B)
    accounts."""
    import datetime

    from access_audit.services import campaigns
    from access_audit.tests.factories import LoginRightFactory

    for person, lab in ((w.person_a, w.lab_a), (w.person_b, w.lab_b)):
        LoginRightFactory(person=person, lab=lab)
    made = []
    for name in ("草稿", "进行中"):
        made.append(
            campaigns.campaign_create(
                actor=w.training_admin,
                name=name,
                migration_deadline=datetime.date(2099, 1, 1),
                confirmation_deadline=datetime.date(2099, 2, 1),
            )
        )
    campaigns.campaign_open(campaign=made[1], actor=w.training_admin)
    return made


def _enforcement_runs(w):
    """A done run that revoked accounts of lab A and lab B, and a dry run of its campaign."""
    from access_audit.tests.evidence_helpers import enforced_run

    done = enforced_run(w).run
    dry = EnforcementRun.objects.create(
        campaign=done.campaign, kind=done.kind, as_of=done.as_of, dry_run=True, state="done"
    )
    return done, dry


def _evidence_file(w):
    """The report of a done run's evidence pack."""
    from access_audit.evidence.pack import evidence_pack_build

    done, _dry = _enforcement_runs(w)
    evidence_pack_build(run_id=done.pk)
    return EvidenceFile.objects.filter(run=done).order_by("name").first()


def _campaign_entries(w):
    """The entries of lab A's and of lab B's account in an open campaign."""
    _draft, opened = _campaigns(w)
    return [CampaignEntry.objects.get(campaign=opened, lab=lab) for lab in (w.lab_a, w.lab_b)]


def _login_rights(w, *, requests=False):
    from access_audit.tests.factories import LoginRightFactory, LoginRightRequestFactory

    if requests:
        return [
            LoginRightRequestFactory(person=w.person_a, submitted_by=w.lab_a_staff),
            LoginRightRequestFactory(person=w.person_b, submitted_by=w.lab_b_staff),
        ]
    return [LoginRightFactory(person=w.person_a), LoginRightFactory(person=w.person_b)]


def _change_requests(w):
    """Tier (b) requests: lab A's staff for person A, lab B's staff for person B."""
    from liaisons.services.changes import change_request_submit
    from liaisons.tests.factories import pdf_upload

    return [
        change_request_submit(
            person=person,
            actor=staff,
            tier="important",
            changes={"major": "电气工程及其自动化"},
            justification="学历证书所载专业名称",
            change_form=pdf_upload(),
        )
        for person, staff in ((w.person_a, w.lab_a_staff), (w.person_b, w.lab_b_staff))
    ]


def _liaison_applications(w, *, materials=False):
    """Person A's account, lab A's application for person A and lab B's for person B, both
    returned (the branch sees them, the lab may still edit them); or their materials."""
    from directory.constants import Role
    from directory.tests.factories import UserFactory
    from liaisons.services.preparation import material_upload
    from liaisons.tests.factories import LiaisonApplicationFactory, pdf_upload

    person = UserFactory(username=w.person_a.id_number, role=Role.PERSON)
    w.person_a.user = person
    w.person_a.save(update_fields=["user"])
    found = []
    for lab, staff, applicant in (
        (w.lab_a, w.lab_a_staff, w.person_a),
        (w.lab_b, w.lab_b_staff, w.person_b),
    ):
        application = LiaisonApplicationFactory(
            lab=lab, person=applicant, created_by=staff, returned=True
        )
        if materials:
            found.append(
                material_upload(
                    application=application, kind="id_card", upload=pdf_upload(), actor=staff
                )
            )
        else:
            found.append(application)
    return person, *found


def _assessment_entries(w):
    """Person A's account, then the first assessment entry of lab A's and of lab B's
    application (the entries appear once fields are applied for)."""
    from liaisons.services.preparation import liaison_application_update

    person, *applications = _liaison_applications(w)
    entries = []
    for application, staff in zip(applications, (w.lab_a_staff, w.lab_b_staff), strict=True):
        liaison_application_update(application=application, actor=staff, fields=["CCC"])
        entries.append(application.assessment_entries.order_by("position").first())
    return person, *entries


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def _model_of(pattern: URLPattern):
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view_class, "model", None)
    if model is None and getattr(view_class, "queryset", None) is not None:
        model = view_class.queryset.model
    return model


def object_id_patterns():
    found = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        names = _kwarg_names(pattern)
        if any(OBJECT_ID.search(name) for name in names):
            found.append((namespace, pattern, names))
    return found


def test_the_walk_finds_the_object_urls():
    names = {f"{ns}{p.name}" for ns, p, _ in object_id_patterns()}
    assert {"directory:person_detail", "directory:lab_detail", "person-detail"} <= names


@pytest.mark.parametrize(
    ("namespace", "pattern", "kwarg_names"),
    object_id_patterns(),
    ids=lambda v: getattr(v, "name", None) or (v if isinstance(v, str) else None),
)
def test_objects_outside_the_scope_answer_404(client, world, namespace, pattern, kwarg_names):
    model = _model_of(pattern)
    assert model is not None, f"{pattern.pattern}: its view names no model"
    assert model in OUT_OF_SCOPE, (
        f"{pattern.pattern}: add {model.__name__} to OUT_OF_SCOPE in {__file__}"
    )
    id_name = next(n for n in kwarg_names if OBJECT_ID.search(n))

    def url_for(obj):
        kwargs = {id_name: obj.pk}
        if "format" in kwarg_names:
            kwargs["format"] = "json"
        if "kind" in kwarg_names:  # a printable form of an application
            kwargs["kind"] = "recommendation"
        return reverse(f"{namespace}{pattern.name}", kwargs=kwargs)

    for viewer, foreign, own in OUT_OF_SCOPE[model](world):
        client.force_login(viewer)
        statuses = {
            method: getattr(client, method)(url_for(foreign)).status_code
            for method in ("get", "post", "patch")
        }
        assert set(statuses.values()) <= {404, 405}, (viewer.username, url_for(foreign), statuses)
        assert 404 in statuses.values(), (viewer.username, url_for(foreign), statuses)
        if own is not None:
            status = client.get(url_for(own)).status_code
            assert status != 404 or statuses["get"] == 405, (viewer.username, url_for(own))


def test_a_missing_object_answers_the_same_404(client, world):
    client.force_login(world.lab_a_staff)
    missing_url = reverse("directory:person_detail", args=[999999])
    forbidden_url = reverse("directory:person_detail", args=[world.person_b.pk])
    missing, forbidden = client.get(missing_url), client.get(forbidden_url)
    assert missing.status_code == forbidden.status_code == 404

    def normalised(response, url):
        body = response.content.replace(url.encode(), b"URL")
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)

    assert normalised(missing, missing_url) == normalised(forbidden, forbidden_url)
