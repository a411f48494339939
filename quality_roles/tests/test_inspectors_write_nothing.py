"""Q-13: the regulator's inspectors read every body and write nothing but assessments. Every
write service of the quality roles and every form screen is walked, so a new one is covered
the day it is added (like ``tests/test_scope_walk.py``)."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, get_resolver, reverse

import quality_roles.services as services_package
from directory.models import CertificationBody
from directory.tests.factories import PersonFactory
from quality_roles.constants import AssessmentResult
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
from quality_roles.services.accountability import accountability_case_open
from quality_roles.services.advice import advice_give
from quality_roles.services.assessments import assessment_record
from quality_roles.views.common import ObjectFormView

from .factories import CertificateFactory, FilingFactory
from .oversight import directed, today  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

#: What inspectors write (Q-13): assessments, their publication, the check of their
#: rectification.
INSPECTORS_WRITE = {"assessment_record", "assessment_publish", "assessment_rectification_check"}
#: Not a step of their own: called by a step that checked who acts (a staff change).
NOT_A_STEP = {"director_details_changed"}
INSPECTOR_SCREENS = {"assessment_record", "assessment_publish", "assessment_rectification_check"}


def write_services():
    for module_info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"{services_package.__name__}.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "actor" in inspect.signature(function).parameters and name not in NOT_A_STEP:
                yield name, function


@pytest.fixture
def records(directed, world):  # noqa: F811
    d = directed
    advice = advice_give(body=d.b.body, actor=d.b.candidate_account, subject="s", text="t")
    case = accountability_case_open(
        body=d.b.body, staff=d.b.lead_b, actor=d.b.admin, ground="other", description="d"
    )
    assessment = assessment_record(
        director=d.director,
        actor=world.inspector,
        result=AssessmentResult.FAILED,
        assessed_on=today(),
        findings="f",
        actions="a",
        deadline=today(),
    )
    # one record of each kind of the same body.
    from tests.scope_walk_quality_roles import _duties

    duties = {model: make() for model, make in _duties(d.b.body, d.lead, d.director).items()}
    cooperation = duties[LabCooperation]
    return {
        **duties,
        CertificationProject: cooperation.project,
        Certificate: CertificateFactory(body=d.b.body, responsible_lead=d.lead),
        CertificationBody: d.b.body,
        BodyStaff: d.b.lead_b,
        DirectorAppointment: d.director,
        LeadAppointment: d.lead,
        Filing: FilingFactory(appointment=d.director, body=d.b.body),
        DirectorAdvice: advice,
        AccountabilityCase: case,
        DirectorAssessment: assessment,
        RectificationOrder: assessment.rectification_orders.get(),
    }


def _arguments(name, function, records):
    day = today() - datetime.timedelta(days=1)
    by_name = {
        "body": records[CertificationBody],
        "staff": records[BodyStaff],
        "director": records[DirectorAppointment],
        "appointment": records[
            DirectorAppointment if name.startswith("director_") else LeadAppointment
        ],
        "filing": records[Filing],
        "advice": records[DirectorAdvice],
        "case": records[AccountabilityCase],
        "assessment": records[DirectorAssessment],
        "order": records[RectificationOrder],
        "certificate": records[Certificate],
        "lead": records[LeadAppointment],
        "successor": records[LeadAppointment],
        "leave_uncovered": True,
        "incident": records[IncidentReport],
        "spot_check": records[SpotCheck],
        "measure": records[DirectorMeasure],
        "lab": records[ExternalLab],
        "cooperation": records[LabCooperation],
        "proposal": records[CooperationProposal],
        "project": records[CertificationProject],
        "category": None,
        "owner": records[BodyStaff],
        "approve": True,
        "action": "pause",
        "rows": [],
        "dry_run": False,
        "person": lambda: PersonFactory(lab=None, body=records[CertificationBody]),
        "legal_representative": None,
        "actual_controller": None,
        "capacity": "legal_representative",
        "ground": "other",
        "kind": "warning",
        "answer": "accepted",
        "result": "passed",
        "effective": True,
        "code": "Z9",
        "name": "名称",
    }
    kwargs = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == "actor" or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if parameter.name in by_name:
            value = by_name[parameter.name]
            kwargs[parameter.name] = value() if callable(value) else value
        elif parameter.default is not parameter.empty:
            continue
        elif parameter.name.endswith(("_on", "_at")) or parameter.name == "deadline":
            kwargs[parameter.name] = day
        else:
            kwargs[parameter.name] = "内容"
    return kwargs


def test_every_write_service_but_the_assessments_refuses_an_inspector(records, world):
    # rule Q-13: inspectors write nothing but assessments
    refused = []
    for name, function in write_services():
        if name in INSPECTORS_WRITE:
            continue
        with pytest.raises(PermissionDenied):
            function(actor=world.inspector, **_arguments(name, function, records))
        refused.append(name)
    assert {"advice_give", "accountability_case_open", "director_appointment_nominate"} <= set(
        refused
    )
    assert "assessment_rectification_report" in refused
    # the resumption of a paused cooperation is a write like the others.
    assert {"cooperation_proposal_submit", "cooperation_resumption_propose"} <= set(refused)
    assert {"certification_project_create", "certification_project_update"} <= set(refused)


def _form_screens():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) != "quality_roles":
            continue
        for pattern in entry.url_patterns:
            if not isinstance(pattern, URLPattern):
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, ObjectFormView):
                yield pattern.name, view_class


def test_every_form_screen_but_the_assessments_answers_an_inspector_403(client, records, world):
    # rule Q-13: the screens read every body and offer inspectors no write but assessments
    client.force_login(world.inspector)
    walked = []
    for name, view_class in _form_screens():
        assert view_class.model in records, f"{name}: add {view_class.model} to ``records``"
        url = reverse(f"quality_roles:{name}", args=[records[view_class.model].pk])
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        if name in INSPECTOR_SCREENS:
            # Their own screens open (a path another part also claims would answer 404).
            assert client.get(url).status_code == 200, name
        else:
            assert statuses <= {403, 404}, (name, statuses)
            walked.append(name)
    assert {"advice_give", "case_open", "lead_nominate", "governance_edit"} <= set(walked)
    assert {"proposal_create", "resumption_create", "proposal_decide"} <= set(walked)
    assert {"project_create", "project_edit"} <= set(walked)


def test_inspectors_read_every_body(client, records, world):
    # rule Q-13: the screens of any body, without a way to change them
    client.force_login(world.inspector)
    body = records[CertificationBody]
    page = client.get(reverse("quality_roles:body_detail", args=[body.pk]))
    assert page.status_code == 200
    assert reverse("quality_roles:case_open", args=[body.pk]).encode() not in page.content
    director = client.get(
        reverse("quality_roles:director_detail", args=[records[DirectorAppointment].pk])
    )
    assert (
        reverse("quality_roles:assessment_record", args=[records[DirectorAppointment].pk]).encode()
        in director.content
    )
    for name in ("advice_list", "cases_list", "assessments_list", "project_list"):
        listing = client.get(reverse(f"quality_roles:{name}"))
        assert listing.status_code == 200 and body.name.encode() in listing.content
