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
