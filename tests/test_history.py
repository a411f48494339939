"""History: record changes kept (django-simple-history), shown in a timeline; no hard delete."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django_fsm_log.models import StateLog

from cqcportal.timeline import timeline_for
from directory import services
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_is_kept_with_who_and_what(world):  # rule P-03
    person = world.person_a
    services.person_update_self_maintained(person=person, actor=world.lab_a_staff, phone="1")
    services.person_update_self_maintained(person=person, actor=world.lab_a_staff, phone="2")
    with translation.override("en"):
        entries = timeline_for(person)
    assert entries[0].changes == [("phone", "1", "2")]
    assert entries[0].what == "changed"
    assert entries[0].who == world.lab_a_staff.username
    assert entries[-1].what == "created"


def test_timeline_never_shows_the_id_number(world):  # rule P-04
    person = world.person_a
    old_number = person.id_number
    # An ID number corrected by an operator is kept in history, but never shown.
    person.id_number, person.phone = "11010519850307006X", "1"
    person.save()
    changes = [change for entry in timeline_for(person) for change in entry.changes]
    assert any(new == "1" for _label, _old, new in changes)  # the change itself is shown
    for _label, old, new in changes:
        assert old_number not in old + new and person.id_number not in old + new


def test_state_transitions_appear_in_the_timeline(world):
    # Transitions are logged by django-fsm-log; the timeline merges them with changes.
    from django.contrib.contenttypes.models import ContentType

    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(world.lab_a),
        object_id=str(world.lab_a.pk),
        source_state="draft",
        state="submitted",
        transition="submit",
        by=world.lab_a_staff,
        description="first submission",
    )
    entries = timeline_for(world.lab_a)
    assert any(e.comment == "first submission" and "submitted" in e.what for e in entries)


def test_detail_pages_show_the_timeline(client, world):
    client.force_login(world.branch_n_reviewer)
    services.person_update_self_maintained(person=world.person_a, actor=None, phone="13911112222")
    response = client.get(reverse("directory:person_detail", args=[world.person_a.pk]))
    assert response.status_code == 200
    assert response.context["timeline"]
    assert "13911112222" in response.content.decode()
    assert 'id="timeline-title"' in response.content.decode()


def test_nothing_that_matters_can_be_deleted_in_the_admin(rf, world):
    superuser = UserFactory(
        username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True
    )
    request = rf.get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "directory":
            assert not model_admin.has_delete_permission(request), model


def test_timeline_names_many_to_many_changes_and_local_times(world):
    # A change of the fields applied for reads as the fields, not as through rows.
    from cqcportal.timeline import timeline_for
    from liaisons.services.preparation import liaison_application_update
    from liaisons.tests.factories import ready_application

    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff, fields=["CCC"])
    liaison_application_update(
        application=application, actor=world.lab_a_staff, fields=["CCC", "ROHS"]
    )
    with translation.override("en"):
        changes = [c for e in timeline_for(application) for c in e.changes]
    rendered = " ".join(f"{old} {new}" for _label, old, new in changes)
    assert "RoHS" in rendered
    assert "certificationfield" not in rendered
