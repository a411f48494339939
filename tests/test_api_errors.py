"""Every refusal under /api/ answers JSON with a body the schema documents (issue 9): a bad
filter, a page past the end, too many fields, a malformed or form-encoded body, a NUL byte, an
unknown URL, a server error."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from directory.api import views as directory_views
from liaisons.tests.factories import LiaisonApplicationFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/liaisons/applications/"


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


def test_a_bad_filter_value_answers_400_with_the_fields_messages(world):
    # issue 9: neither 500 nor silently ignored
    response = _api(world.branch_n_reviewer).get(APPLICATIONS, {"state": "nonsense", "lab": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"state", "lab"}


def test_a_page_past_the_end_answers_a_json_404(world):
    response = _api(world.branch_n_reviewer).get(APPLICATIONS, {"page": 99})
    assert response.status_code == 404 and _is_json(response)
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("method", ["get", "post"])
def test_too_many_fields_answer_a_json_400(world, settings, method):
    # issue 9: Django's TooManyFieldsSent used to answer its HTML error page under /api/
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = "&".join(f"f{i}=1" for i in range(20))
    api = _api(world.training_admin)
    if method == "get":
        response = api.get(f"{APPLICATIONS}?{fields}")
    else:
        response = api.generic(
            "POST",
            f"{APPLICATIONS}hire/",
            fields,
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 415 and _is_json(response)  # JSON bodies only
        # a multipart body is parsed, and refused for its number of fields
        application = LiaisonApplicationFactory(lab=world.lab_a)
        response = _api(world.lab_a_staff).post(
            f"{APPLICATIONS}{application.pk}/materials/",
            {f"f{i}": "1" for i in range(20)},
            format="multipart",
        )
    assert response.status_code == 400 and _is_json(response)
    assert response.json() == {"detail": "The request has too many fields."}


def test_a_body_too_large_answers_a_json_400(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    application = LiaisonApplicationFactory(lab=world.lab_a)
    response = _api(world.lab_a_staff).post(
        f"{APPLICATIONS}{application.pk}/materials/", {"kind": "x" * 500}, format="multipart"
    )
    assert response.status_code == 400 and _is_json(response)
    assert response.json() == {"detail": "The request is too large."}


def test_too_many_fields_outside_the_api_still_answer_the_html_page(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client()
    client.force_login(world.branch_n_reviewer)
    fields = "&".join(f"f{i}=1" for i in range(20))
    response = client.post(
        "/accounts/logout/", fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_malformed_json_answers_a_json_400(world):
    response = _api(world.training_admin).generic(
        "POST", f"{APPLICATIONS}hire/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and _is_json(response)
    assert "JSON parse error" in response.json()["detail"]


def test_a_nul_byte_in_a_body_field_or_a_parameter_answers_a_json_400(world):
    api = _api(world.lab_a_staff)
    body = api.post(APPLICATIONS, {"id_number": "1\x00", "name": "张\x00三"}, format="json")
    assert body.status_code == 400 and _is_json(body)
    assert {"id_number", "name"} <= set(body.json())
    query = _api(world.branch_n_reviewer).get(APPLICATIONS, {"state": "draft\x00"})
    assert query.status_code == 400 and _is_json(query)
    roster = APIClient().get("/api/liaisons/roster/", {"q": "张\x00"})
    assert roster.status_code == 400 and _is_json(roster)


def test_an_unknown_api_url_answers_a_json_404(world):
    response = _api(world.lab_a_staff).get("/api/no-such-thing/")
    assert response.status_code == 404 and _is_json(response)
    assert response.json() == {"detail": "Not found."}
    # elsewhere, the HTML page as before
    assert Client().get("/no-such-thing/")["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_answers_json(world, monkeypatch):
    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(directory_views.BranchCentreViewSet, "get_queryset", broken)
    api = _api(world.lab_a_staff)
    api.raise_request_exception = False
    response = api.get("/api/branches/")
    assert response.status_code == 500 and _is_json(response)
    assert response.json() == {"detail": "Server error."}


def test_the_schema_documents_the_refusals_of_every_operation(client):
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "403"} <= set(responses), (method, path)
            for code in ("403", "404", "415"):
                if code in responses:
                    assert responses[code]["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"
                    }
    # a list: per-filter messages and a page past the end
    listing = schema["paths"][APPLICATIONS]["get"]
    per_field = listing["responses"]["400"]["content"]["application/json"]["schema"]["anyOf"][0]
    assert set(per_field["properties"]) == {
        "field",
        "lab",
        "state",
        "submitted_after",
        "submitted_before",
        "non_field_errors",
    }
    assert per_field["additionalProperties"] is False
    assert "404" in listing["responses"]
    # a step: the rule refusal it declares, and the per-field messages of its body
    submit = schema["paths"][APPLICATIONS + "{id}/submit/"]["post"]
    shapes = submit["responses"]["400"]["content"]["application/json"]["schema"]["anyOf"]
    assert shapes[0] == {"$ref": "#/components/schemas/ServiceError"}
    assert set(shapes[1]["properties"]) == {"comment", "non_field_errors"}
    assert list(submit["requestBody"]["content"]) == ["application/json"]
    # the hire of several is a POST: no page to send
    hire = schema["paths"][APPLICATIONS + "hire/"]["post"]
    assert "parameters" not in hire


def test_a_deeply_nested_json_body_answers_400_not_500(world):
    # issue 9 item 5: Python's JSON decoder gives up on a few thousand nested brackets with a
    # RecursionError, which DRF's parser let through as a server error.
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.lab_a_staff)
    body = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(APPLICATIONS, body, content_type="application/json")
    assert response.status_code == 400 and _is_json(response)
    assert "JSON" in response.json()["detail"]
