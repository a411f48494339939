"""The Django admin: every model of the portal's apps registered, with search and filters."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"directory", "liaisons", "access_audit", "quality_roles"}
#: Models kept by libraries beside the record they belong to; they are edited through it.
NOT_ADMINISTERED_ALONE = ("Historical", "ObjectPermission")


def _portal_models():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS and not any(
            part in model.__name__ for part in NOT_ADMINISTERED_ALONE
        ):
            yield model


def test_every_portal_model_is_in_the_admin():
    missing = [m.__name__ for m in _portal_models() if m not in admin.site._registry]
    assert not missing


def test_admin_lists_open_with_search_and_filters(client, world):
    root = UserFactory(username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)
    for model in _portal_models():
        model_admin = admin.site._registry[model]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"q": "x"} if model_admin.search_fields else {})
        assert response.status_code == 200, model.__name__
        assert model_admin.search_fields or model.__name__ == "EmploymentNumberCounter"


def _changelist(client, model, params=None, query=""):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url + query, params or {})
    # An unknown lookup answers a redirect to ?e=1, which would not be a list at all.
    assert response.status_code == 200, (model.__name__, params)
    return response.context["cl"]


def test_every_filter_choice_of_every_list_opens_and_narrows(client, world):
    # issue 11: each declared filter is offered, and each of its choices answers a list no
    # longer than the unfiltered one (a filter that ignored its value would not narrow below).
    root = UserFactory(username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)
    for model in _portal_models():
        model_admin = admin.site._registry[model]
        cl = _changelist(client, model)
        assert len(cl.filter_specs) == len(model_admin.list_filter), model.__name__
        total = cl.result_count
        for spec in cl.filter_specs:
            for choice in spec.choices(cl):
                narrowed = _changelist(client, model, query=choice["query_string"])
                assert narrowed.result_count <= total, (model.__name__, choice)


def test_the_filters_and_the_search_select_the_right_rows(client, world):
    # issue 11: asserting 200 alone passed with filters that filtered nothing.
    from directory.models import Person, User
    from liaisons.constants import ApplicationState
    from liaisons.models import LiaisonApplication
    from liaisons.tests.factories import LiaisonApplicationFactory

    root = UserFactory(username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)

    by_branch = _changelist(client, Person, {"lab__branch__id__exact": world.branch_n.pk})
    assert list(by_branch.result_list) == [world.person_a]
    by_name = _changelist(client, Person, {"q": world.person_b.name})
    assert list(by_name.result_list) == [world.person_b]

    reviewers = _changelist(client, User, {"role__exact": Role.BRANCH_REVIEWER})
    assert {u.username for u in reviewers.result_list} == {"branch_n", "branch_s"}

    draft = LiaisonApplicationFactory(lab=world.lab_a)
    submitted = LiaisonApplicationFactory(lab=world.lab_b, submitted=True)
    by_state = _changelist(client, LiaisonApplication, {"state__exact": ApplicationState.SUBMITTED})
    assert list(by_state.result_list) == [submitted]
    app_by_branch = _changelist(
        client, LiaisonApplication, {"lab__branch__id__exact": world.branch_n.pk}
    )
    assert list(app_by_branch.result_list) == [draft]

    from access_audit.models import LoginRight
    from access_audit.tests.factories import LoginRightFactory

    LoginRightFactory(person=world.person_a)
    revoked = LoginRightFactory(person=world.person_b, revoked=True)
    by_right_state = _changelist(client, LoginRight, {"state__exact": "revoked"})
    assert list(by_right_state.result_list) == [revoked]
