"""The REST API: OpenAPI schema and docs served locally, session and token auth, scope."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_describes_the_api(client):
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "cqcportal API"
    assert "/api/people/{id}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_page_uses_only_local_assets(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets
    assert not re.search(r"https?://", html)


def test_token_authentication_works_and_is_scoped(world):
    token = Token.objects.create(user=world.lab_a_staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    people = api.get("/api/people/").json()
    names = {p["name"] for p in people["results"]}
    assert names == {world.person_a.name}
    assert api.get(f"/api/people/{world.person_b.pk}/").status_code == 404


def test_anonymous_callers_get_nothing(world):
    assert APIClient().get("/api/people/").status_code in {401, 403}


def test_id_numbers_are_masked_unless_the_role_needs_them(world):  # rule P-04
    api = APIClient()
    api.force_authenticate(world.lab_a_staff)
    masked = api.get(f"/api/people/{world.person_a.pk}/").json()["id_number"]
    assert masked == world.person_a.masked_id_number
    assert world.person_a.id_number not in str(api.get("/api/people/").json())
    api.force_authenticate(world.branch_n_reviewer)
    full = api.get(f"/api/people/{world.person_a.pk}/").json()["id_number"]
    assert full == world.person_a.id_number


def test_person_changes_own_contact_data_through_the_api(world):  # rule P-03
    from directory.constants import Role
    from directory.tests.factories import UserFactory

    user = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = user
    world.person_a.save()
    api = APIClient()
    api.force_authenticate(user)
    url = f"/api/people/{world.person_a.pk}/self-maintained/"
    assert api.patch(url, {"phone": "13800001111"}, format="json").status_code == 200
    world.person_a.refresh_from_db()
    assert world.person_a.phone == "13800001111"
    bad = api.patch(url, {"email": "not-an-address"}, format="json")
    assert bad.status_code == 400
    world.person_a.refresh_from_db()
    assert world.person_a.email != "not-an-address"


def test_lab_staff_cannot_change_a_persons_contact_data(world):  # rule P-03
    api = APIClient()
    api.force_authenticate(world.lab_a_staff)
    url = f"/api/people/{world.person_a.pk}/self-maintained/"
    assert api.patch(url, {"phone": "1"}, format="json").status_code == 403
