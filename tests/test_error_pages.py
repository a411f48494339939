"""The error pages of production (DEBUG off): the portal's own, in its layout, in the reader's
language; JSON under /api/ (issue 10)."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from cqcportal import api_errors
from directory.constants import Role
from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="topbar"'


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


def test_a_post_only_address_opened_as_a_link_answers_the_portals_405(client, world):
    # issue 10: GET /accounts/logout/ answered an empty page.
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    page = response.content.decode()
    assert LAYOUT in page and "无法以这种方式打开" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("logout")).content.decode()
    assert "Not possible this way" in page
    # Still signed in: nothing was done.
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_empty_405_under_the_api_answers_json():
    # issue 10
    from django.http import HttpResponseNotAllowed

    request = RequestFactory().get("/api/liaisons/whatever/")
    response = api_errors.method_not_allowed(request, HttpResponseNotAllowed(["POST"]))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "POST"


def test_the_apis_own_405_is_left_as_it_is(client, world):
    client.force_login(world.training_admin)
    response = client.delete("/api/liaisons/applications/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "DELETE" in response.json()["detail"]


def test_not_found_and_not_allowed_are_in_the_layout(client, world):
    # issue 10
    page = client.get("/nothing-here/").content.decode()
    assert LAYOUT in page and "页面不存在" in page
    person = UserFactory(username="someone", role=Role.PERSON)
    client.force_login(person)
    response = client.get(reverse("liaisons:roster_export_pdf"))
    assert response.status_code == 403
    assert LAYOUT in response.content.decode()


def test_the_500_page_is_in_the_layout_without_database_or_user(django_assert_num_queries):
    # issue 10: rendered without the request, so it needs neither the database nor the user.
    request = RequestFactory().get("/liaisons/applications/")
    with django_assert_num_queries(0):
        response = api_errors.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in page and "服务器错误" in page
    assert "/accounts/logout/" not in page  # no account shown


def test_the_500_page_answers_even_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(api_errors, "render_to_string", broken)
    response = api_errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器错误 / Server error" in response.content.decode()


def test_an_error_in_a_view_answers_the_portals_500(client, world, monkeypatch):
    # issue 10: end to end, DEBUG off.
    from directory import views

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.LabListView, "get", explode)
    client.raise_request_exception = False
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("directory:lab_list"))
    assert response.status_code == 500
    assert LAYOUT in response.content.decode()
