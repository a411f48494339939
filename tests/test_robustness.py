"""No request of any shape answers 5xx (issue 9, item 5)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from directory.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _no_nul_reached_the_database(queries) -> bool:
    # PostgreSQL answers a NUL in any text with an error (a 500); SQLite takes it silently,
    # so the test asserts that none was sent rather than what the database made of it.
    return not any("\x00" in query["sql"] for query in queries.captured_queries)


def test_nul_in_a_path_answers_404_without_reaching_the_database(client):
    # issue 9: GET /liaisons/roster/%00/ answered 500 on PostgreSQL.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/liaisons/roster/%00/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
    assert _no_nul_reached_the_database(queries)


def test_nul_in_a_query_string_answers_400(client, world):
    client.force_login(world.lab_a_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/liaisons/roster/", {"name": "张\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert _no_nul_reached_the_database(queries)


def test_nul_in_the_admin_search_answers_400(client):
    # The admin's search box is no form field: its text went to the database as it came.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/directory/person/", {"q": "\x00"})
    assert response.status_code == 400
    assert _no_nul_reached_the_database(queries)


def test_nul_in_a_posted_form_answers_400(client, world):
    client.force_login(world.lab_a_staff)
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


def test_nul_in_an_api_query_answers_400_in_json(client, world):
    client.force_login(world.lab_a_staff)
    response = client.get("/api/liaisons/applications/", {"search": "\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def _text_routes(patterns, prefix=""):
    """Every route of the URLconf whose parameters all take text (str, slug, path)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _text_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            kinds = re.findall(r"<(?:(\w+):)?\w+>", route)
            if kinds and "^" not in route and all(k in ("", "str", "slug", "path") for k in kinds):
                yield route


def test_every_text_route_refuses_a_nul_without_5xx(client):
    """Walk the URLconf: a NUL in place of each text parameter never answers 5xx."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    routes = list(_text_routes(get_resolver().url_patterns))
    assert "liaisons/roster/<str:employment_number>/" in routes
    # DRF's routers write regular expressions: their detail routes, named here.
    urls = ["/" + re.sub(r"<[^>]+>", "%00", route) for route in routes] + [
        f"/api/liaisons/{name}/%00/"
        for name in ("applications", "assessment-entries", "qualifications", "roster", "labs")
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code < 500, url
        assert _no_nul_reached_the_database(queries), url


def test_nul_in_a_json_field_is_refused_by_that_field(world):
    # DRF's text fields refuse a NUL with a 400 naming the field; nothing is stored.
    from rest_framework.test import APIClient

    from liaisons.models import LiaisonApplication
    from liaisons.tests.factories import ready_application

    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    api = APIClient()
    api.force_authenticate(world.lab_a_staff)
    response = api.patch(
        f"/api/liaisons/applications/{application.pk}/",
        {"work_history": "2015\x00 检测"},
        format="json",
    )
    assert response.status_code == 400
    assert "work_history" in str(response.json())
    assert "\x00" not in LiaisonApplication.objects.get(pk=application.pk).work_history


def test_simultaneous_writers_on_the_embedded_default_wait_instead_of_failing(tmp_path):
    # issue 9 item 5: six labs starting applications at once on `make run` answered 500
    # "database is locked": a transaction that reads, then writes while another one writes,
    # is refused at once in SQLite's deferred mode, whatever the timeout.
    import threading
    import time

    from django.db.utils import ConnectionHandler

    from cqcportal.settings.base import database_config

    handler = ConnectionHandler({"default": database_config(f"sqlite:///{tmp_path / 'db'}")})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    handler["default"].close()
    barrier, errors = threading.Barrier(6), []

    def start():
        connection = handler["default"]
        try:
            barrier.wait(timeout=10)
            # What transaction.atomic() does on this connection (not on the test database).
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM t")  # is the number on record?
                time.sleep(0.05)
                cursor.execute("INSERT INTO t VALUES (1)")  # no: record it
            connection.commit()
        except Exception as error:  # noqa: BLE001 - what the request would have answered 500 for
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert cursor.fetchone() == (6,)
    handler["default"].close()
