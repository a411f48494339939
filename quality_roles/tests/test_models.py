"""What the quality roles' records hold for every later part of issue 13: limits on every
text, nothing deleted, the database's own checks, and the coverage read (Q-05)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from quality_roles.constants import CertificateState, MeasureKind, RectificationSource
from quality_roles.models import Certificate, DirectorMeasure, RectificationOrder
from quality_roles.selectors import uncovered_certificates

from .factories import (
    CertificateFactory,
    CertificationProjectFactory,
    DirectorAppointmentFactory,
    LeadAppointmentFactory,
)


def _models():
    return [
        model
        for model in apps.get_app_config("quality_roles").get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_text_has_a_limit():
    # issue 9: every free text has a limit, checked by the forms and by full_clean
    unlimited = []
    for model in _models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                    unlimited.append(f"{model.__name__}.{field.name}")
            elif isinstance(field, models.CharField) and not field.max_length:
                unlimited.append(f"{model.__name__}.{field.name}")
    assert unlimited == []


def test_nothing_is_deleted_from_under_a_record():
    # Every link protects what it points to; the admin deletes nothing.
    cascading = [
        f"{model.__name__}.{field.name}"
        for model in _models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.on_delete is not models.PROTECT
    ]
    assert cascading == []
    for model in _models():
        assert admin.site._registry[model].has_delete_permission(None) is False, model


@pytest.mark.django_db
def test_a_certificate_is_under_a_project_or_a_category(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(body=world.body_x, project=None, category=None)


@pytest.mark.django_db
def test_a_measure_names_what_its_kind_acts_on(world):
    # rule Q-08: a paused project names the project, a suspended certificate the certificate
    director = DirectorAppointmentFactory(body=world.body_x, active=True)
    project = CertificationProjectFactory(body=world.body_x)
    base = {
        "body": world.body_x,
        "director": director,
        "reason": "抽查发现问题",
        "taken_at": timezone.now(),
    }
    DirectorMeasure.objects.create(kind=MeasureKind.PAUSE_PROJECT, project=project, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectorMeasure.objects.create(
            kind=MeasureKind.SUSPEND_CERTIFICATE, project=project, **base
        )


@pytest.mark.django_db
def test_a_rectification_names_its_source(world):
    # rule Q-08, rule Q-13: a spot check's order names the spot check, an assessment's the
    # assessment
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationOrder.objects.create(
            body=world.body_x,
            source=RectificationSource.SPOT_CHECK,
            problem="抽样代表性不足",
            actions="重新抽样",
            deadline=timezone.localdate(),
        )


@pytest.mark.django_db
def test_a_valid_certificate_without_an_active_lead_is_uncovered(world):
    # rule Q-05: the model and the selector the coverage screens will use
    director = DirectorAppointmentFactory(body=world.body_x, active=True)
    active = LeadAppointmentFactory(body=world.body_x, nominated_under=director, active=True)
    ended = LeadAppointmentFactory(body=world.body_x, nominated_under=director, ended=True)
    covered = CertificateFactory(body=world.body_x, responsible_lead=active)
    without = CertificateFactory(body=world.body_x, responsible_lead=None)
    lead_ended = CertificateFactory(body=world.body_x, responsible_lead=ended)
    CertificateFactory(body=world.body_x, responsible_lead=None, state=CertificateState.EXPIRED)
    CertificateFactory(body=world.body_y, responsible_lead=None)
    found = set(uncovered_certificates(body=world.body_x))
    assert found == {without, lead_ended}
    assert covered not in found
    assert Certificate.objects.filter(body=world.body_x).count() == 4
