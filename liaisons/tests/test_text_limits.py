"""Every free text has a limit that fits its box on the printed form (issue 9, item 6).

A 100,000-character work history once made one print task run 367 s. It is refused now by
the form, the API and the service alike, and nothing is stored.
"""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cqcportal.limits import WORK_HISTORY_MAX_LENGTH, WORK_HISTORY_MAX_LINES
from directory.idnumbers import build_id_number
from liaisons.models import LiaisonApplication
from liaisons.services.applications import liaison_application_return, liaison_application_submit
from liaisons.services.preparation import liaison_application_update
from liaisons.tests.factories import ready_application

pytestmark = pytest.mark.django_db

HUGE = "检" * 100_000


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


@pytest.fixture
def draft(world):
    return ready_application(lab=world.lab_a, actor=world.lab_a_staff)


def test_the_service_refuses_a_100000_character_work_history(world, draft):
    # issue 9; rule L-03: the work history fits its box on the recommendation form
    before = LiaisonApplication.objects.get(pk=draft.pk).work_history
    with pytest.raises(ValidationError) as refused:
        liaison_application_update(application=draft, actor=world.lab_a_staff, work_history=HUGE)
    assert "work_history" in refused.value.message_dict
    assert LiaisonApplication.objects.get(pk=draft.pk).work_history == before


def test_the_service_refuses_more_lines_than_the_box_holds(world, draft):
    lines = "\n".join(["2015 检测"] * (WORK_HISTORY_MAX_LINES + 1))
    with pytest.raises(ValidationError) as refused:
        liaison_application_update(application=draft, actor=world.lab_a_staff, work_history=lines)
    assert "work_history" in refused.value.message_dict


def test_the_api_refuses_it_with_400_on_the_field_and_stores_nothing(world, draft):
    api = _api(world.lab_a_staff)
    url = f"/api/liaisons/applications/{draft.pk}/"
    before = LiaisonApplication.objects.get(pk=draft.pk).work_history
    response = api.patch(url, {"work_history": HUGE}, format="json")
    assert response.status_code == 400
    assert "work_history" in str(response.json())
    assert LiaisonApplication.objects.get(pk=draft.pk).work_history == before
    # At the limit it is taken.
    at_limit = "检" * WORK_HISTORY_MAX_LENGTH
    assert api.patch(url, {"work_history": at_limit}, format="json").status_code == 200
    assert LiaisonApplication.objects.get(pk=draft.pk).work_history == at_limit


def test_the_api_start_refuses_it_and_creates_nothing(world):
    id_number = build_id_number("110101", datetime.date(1990, 5, 17), 321)
    response = _api(world.lab_a_staff).post(
        "/api/liaisons/applications/",
        {
            "id_number": id_number,
            "name": "赵新",
            "fields": ["CCC"],
            "work_started_on": "2015-07-01",
            "work_history": HUGE,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "work_history" in str(response.json())
    assert not LiaisonApplication.objects.filter(person__id_number=id_number).exists()


def test_the_edit_form_refuses_it_and_stores_nothing(client, world, draft):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.lab_a_staff)
    url = reverse("liaisons:application_edit", args=[draft.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "fields"}
    data.update(fields=["CCC"], work_started_on="2015-07-01", work_history=HUGE)
    before = LiaisonApplication.objects.get(pk=draft.pk).work_history
    response = client.post(url, data)
    assert response.status_code == 400  # the form again, with the error
    assert response.context["form"].errors["work_history"]
    assert "at most 240 characters" in response.content.decode()
    assert LiaisonApplication.objects.get(pk=draft.pk).work_history == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("recommendation", "检" * 101), ("lab_signatory", "检" * 13)],
)
def test_the_other_boxes_of_the_form_are_limited_too(world, draft, field, value):
    with pytest.raises(ValidationError) as refused:
        liaison_application_update(application=draft, actor=world.lab_a_staff, **{field: value})
    assert field in refused.value.message_dict


def test_a_return_reason_is_limited_in_the_service(world, draft):
    liaison_application_submit(application=draft, actor=world.lab_a_staff)
    with pytest.raises(ValidationError) as refused:
        liaison_application_return(application=draft, actor=world.branch_n_reviewer, reason=HUGE)
    assert "reason" in refused.value.message_dict
    assert LiaisonApplication.objects.get(pk=draft.pk).reason == ""


def test_every_text_field_of_the_project_has_a_limit():
    """No model of the project keeps text without a limit (issue 9)."""
    from django.apps import apps
    from django.core.validators import MaxLengthValidator
    from django.db import models

    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in {"directory", "liaisons", "access_audit", "quality_roles"}:
            continue
        if model.__name__.startswith("Historical"):
            continue  # a copy of the live row, written by the system
        if model._meta.proxy:
            continue  # another app's table (django-axes' records behind the masked admin)
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and not any(
                isinstance(v, MaxLengthValidator) for v in field.validators
            ):
                unbounded.append(f"{model.__name__}.{field.name}")
            elif isinstance(field, models.CharField) and not field.max_length:
                unbounded.append(f"{model.__name__}.{field.name}")
    assert unbounded == []
