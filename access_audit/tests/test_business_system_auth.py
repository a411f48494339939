"""The business system's token reaches its two endpoints and nothing else; no other credential
reaches them (issue 12). Tokens: ``manage.py feed_client_create``, deactivation in the admin."""

import base64
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from access_audit.feed_clients import feed_token_digest
from access_audit.models import FeedClient
from access_audit.tests.factories import LoginRightFactory
from access_audit.tests.feed_factories import FeedClientFactory
from directory.constants import Role
from directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ELIGIBILITY = "/api/v1/business-system/eligibility/?username=cbs0001"
CHANGES = "/api/v1/business-system/changes/?since=0"
ENDPOINTS = (ELIGIBILITY, CHANGES)


def _get(url, **credentials):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").get(url, **credentials)


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_the_feed_token_reaches_both_endpoints(url, scheme):
    client = FeedClientFactory()
    LoginRightFactory(username="cbs0001")
    assert _get(url, HTTP_AUTHORIZATION=f"{scheme} {client.token}").status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not-a-token",
        "Bearer two parts",
        "Bearer " + "x" * 5000,
        "Bearer 令牌",
        "Bearer " + "令牌".encode().decode("latin-1"),  # UTF-8 bytes, as WSGI hands them on
    ],
)
def test_no_token_or_a_wrong_one_answers_401(url, authorization):
    FeedClientFactory()
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = _get(url, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="business-system"'
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_deactivated_token_answers_401(url):
    client = FeedClientFactory()
    FeedClient.objects.filter(pk=client.pk).update(is_active=False)
    assert _get(url, HTTP_AUTHORIZATION=f"Bearer {client.token}").status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_other_credential_reaches_the_business_system_endpoints(url):
    superuser = UserFactory(
        username="root", role=Role.GENERAL_BUSINESS_OFFICER, is_staff=True, is_superuser=True
    )
    session = APIClient()
    session.force_login(superuser)
    assert session.get(url).status_code == 401
    user_token = Token.objects.create(user=superuser).key
    assert _get(url, HTTP_AUTHORIZATION=f"Token {user_token}").status_code == 401
    basic = base64.b64encode(f"root:{PASSWORD}".encode()).decode()
    assert _get(url, HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 401


# --- the feed token on every other URL of the portal --------------------------------------------


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry


def _every_other_url() -> list[str]:
    urls = set()
    for namespace, pattern in _walk(get_resolver().url_patterns):
        names = list(pattern.pattern.regex.groupindex)
        if "format" in names or namespace == "business_system_api:":
            continue
        kwargs = {name: "recommendation" if name == "kind" else "1" for name in names}
        try:
            urls.add(reverse(f"{namespace}{pattern.name}", kwargs=kwargs))
        except NoReverseMatch:
            continue  # a converter that takes no "1" (none today)
    return sorted(urls)


#: What a refusal looks like: "who are you" (401, 403, a redirect to sign in), "no such
#: thing" (404), "not like this" (400, 405).
REFUSED = {302, 400, 401, 403, 404, 405}


def _statuses(url, **headers) -> dict[str, int]:
    # A new client per request: nothing carried over (a cookie) from one to the next. Pages
    # never read an Authorization header (no Django authentication backend does): GET is
    # enough there; the API's writes are tried too.
    methods = ("get", "post") if url.startswith("/api/") else ("get",)
    return {
        method: getattr(APIClient(HTTP_ACCEPT_LANGUAGE="en"), method)(url, **headers).status_code
        for method in methods
    }


def test_the_feed_token_reaches_nothing_else_in_the_portal(world):
    """Every named URL of the portal (API, pages, admin), with the token under both schemes,
    answers as it answers a caller with no credential at all, or refuses: the token opens
    nothing (DRF's own token check refuses "Token <it>" even where a page is public)."""
    client = FeedClientFactory()
    urls = _every_other_url()
    assert len(urls) > 100
    assert "/api/people/" in urls and "/admin/" in urls and "/liaisons/roster/" in urls
    for url in urls:
        anonymous = _statuses(url)
        for scheme in ("Bearer", "Token"):
            with_token = _statuses(url, HTTP_AUTHORIZATION=f"{scheme} {client.token}")
            for method, status in with_token.items():
                expected = anonymous[method]
                assert status == expected or status in REFUSED, (
                    url,
                    method,
                    scheme,
                    status,
                    expected,
                )
                assert status < 500, (url, method)


# --- the token's life: created by a command, stored as a digest, deactivated in the admin --------


def test_the_command_prints_the_token_once_and_stores_only_its_digest():
    out, err = io.StringIO(), io.StringIO()
    call_command("feed_client_create", "CBS production", stdout=out, stderr=err)
    token = out.getvalue().strip()
    client = FeedClient.objects.get(name="CBS production")
    assert len(token) >= 43 and token not in str(FeedClient.objects.values())
    assert client.token_sha256 == feed_token_digest(token)
    LoginRightFactory(username="cbs0001")
    assert _get(ELIGIBILITY, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    with pytest.raises(CommandError):
        call_command("feed_client_create", "CBS production", stdout=out, stderr=err)
    with pytest.raises(CommandError):
        call_command("feed_client_create", "x" * 101, stdout=out, stderr=err)


def test_the_admin_deactivates_a_client_and_cannot_add_one(client):
    feed_client = FeedClientFactory()
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/access_audit/feedclient/add/").status_code == 403
    page = client.get(f"/admin/access_audit/feedclient/{feed_client.pk}/change/")
    assert page.status_code == 200
    assert feed_client.token_sha256 in page.content.decode()  # shown, read-only
    response = client.post(
        f"/admin/access_audit/feedclient/{feed_client.pk}/change/",
        {"name": feed_client.name, "is_active": ""},
    )
    assert response.status_code == 302
    feed_client.refresh_from_db()
    assert feed_client.is_active is False
    assert _get(ELIGIBILITY, HTTP_AUTHORIZATION=f"Bearer {feed_client.token}").status_code == 401


def test_the_schema_documents_both_endpoints_with_the_bearer_scheme_alone(client):
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    scheme = schema["components"]["securitySchemes"]["businessSystemToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    operations = [
        schema["paths"]["/api/v1/business-system/eligibility/"]["get"],
        schema["paths"]["/api/v1/business-system/eligibility/"]["post"],
        schema["paths"]["/api/v1/business-system/changes/"]["get"],
    ]
    for operation in operations:
        assert operation["security"] == [{"businessSystemToken": []}]
        assert {"200", "400", "401", "429"} <= set(operation["responses"])
    changes = schema["paths"]["/api/v1/business-system/changes/"]["get"]
    assert {p["name"] for p in changes["parameters"]} == {"since", "limit"}
    # and no other operation of the portal accepts the business system's token
    others = [
        operation
        for path, methods in schema["paths"].items()
        if "/business-system/" not in path
        for operation in methods.values()
    ]
    assert others and all(
        {"businessSystemToken": []} not in operation.get("security", []) for operation in others
    )


# --- the rate cap ------------------------------------------------------------------------------


def _clear_window(client_pk: int, scope: str = "eligibility") -> None:
    import time

    from django.core.cache import caches

    from access_audit.api import throttling

    throttling._batches.clear()
    window = int(time.time() // 3600)  # an hour: no new window mid-test
    for w in (window, window + 1):
        caches["default"].delete(f"access_audit:rate:{scope}:{client_pk}:{w}")


def _until_refused(client, limit: int) -> tuple[int, object]:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {client.token}")
    for answered in range(1, limit + 50):
        response = api.get(ELIGIBILITY)
        if response.status_code != 200:
            return answered, response
    raise AssertionError("never refused")


def test_a_client_past_its_rate_is_told_to_wait_and_others_are_not(settings):
    settings.BUSINESS_SYSTEM_API_RATES = {"eligibility": "30/hour", "changes": "600/min"}
    runaway, other = FeedClientFactory(), FeedClientFactory()
    _clear_window(runaway.pk), _clear_window(other.pk)
    answered, refused = _until_refused(runaway, 30)
    # exact on the embedded default; on Redis the other processes' last batch may be missed
    assert answered == 31
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert set(refused.json()) == {"detail"}
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {other.token}")
    assert api.get(ELIGIBILITY).status_code == 200


def test_a_process_remembers_an_active_token_for_a_few_seconds_only(settings, monkeypatch):
    """The token lookup is skipped for ``BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS``; a client
    deactivated meanwhile is refused once they have passed, and a wrong token is never
    remembered."""
    from access_audit.api import authentication

    settings.BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS = 5
    authentication.forget_cached_tokens()
    clock = [1000.0]
    monkeypatch.setattr(authentication.time, "monotonic", lambda: clock[0])
    client = FeedClientFactory()
    url = ENDPOINTS[0]
    try:
        assert _get(url, HTTP_AUTHORIZATION=f"Bearer {client.token}").status_code == 200
        FeedClient.objects.filter(pk=client.pk).update(is_active=False)
        clock[0] += 4.9
        assert _get(url, HTTP_AUTHORIZATION=f"Bearer {client.token}").status_code == 200
        clock[0] += 0.2
        assert _get(url, HTTP_AUTHORIZATION=f"Bearer {client.token}").status_code == 401
        assert _get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
        assert authentication._cached_clients == {}
    finally:
        authentication.forget_cached_tokens()
