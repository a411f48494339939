"""The sign-in lockout (django-axes) counts the account, whatever the spelling (issue 9)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from directory import services
from directory.constants import Role
from directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NUMBER = "11010519850307006X"
VARIANTS = [
    "11010519850307006x",
    " 11010519850307006X",
    "110105 19850307006X",
    "110105-19850307-006x",
    "１１０１０５１９８５０３０７００６Ｘ",  # full-width, as a Chinese input method types it
    "110105\u200b19850307006X",  # a zero-width space from a copied document
]


@pytest.fixture
def person_user(world):
    person = services.person_create(id_number=NUMBER, name="张伟", actor=None, lab=world.lab_a)
    user = UserFactory(username=NUMBER, role=Role.PERSON)
    person.user = user
    person.save()
    return user


def _sign_in(client, username, password=PASSWORD, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def _signed_in(client) -> bool:
    return client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def _lock(client, username=NUMBER):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, username, "wrong")
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_spelling_names_the_same_account(variant):
    from directory.backends import sign_in_username

    assert sign_in_username(variant) == NUMBER


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_spelling_signs_in_while_unlocked(client, person_user, variant):
    # rule P-01: the backend takes the spellings people type
    assert _sign_in(client, variant).status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_gets_no_fresh_tries_once_locked(client, person_user, variant):  # issue 9
    _lock(client)
    assert _sign_in(client, variant, "wrong").status_code == 429


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_right_password_under_a_variant_is_refused_while_locked(
    client, person_user, variant
):  # issue 9
    _lock(client)
    assert _sign_in(client, variant).status_code == 429
    assert not _signed_in(client)


def test_failures_under_different_spellings_add_up(client, person_user):  # issue 9
    for variant in VARIANTS[: settings.AXES_FAILURE_LIMIT]:
        _sign_in(client, variant, "wrong")
    assert _sign_in(client, NUMBER).status_code == 429
    assert not _signed_in(client)
    # One record, under the canonical number: what an administrator finds and unlocks.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [NUMBER]


def test_failures_at_the_admin_sign_in_count_for_the_portal_sign_in(client, person_user):
    # issue 9: the admin's login form is another place a password is checked
    admin_login = reverse("admin:login")
    for variant in VARIANTS[: settings.AXES_FAILURE_LIMIT]:
        _sign_in(client, variant, "wrong", url=admin_login)
    assert _sign_in(client, NUMBER).status_code == 429
    assert not _signed_in(client)


def test_a_staff_username_with_surrounding_spaces_is_the_same_account(client, world):
    username = world.branch_n_reviewer.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"  {username} ", "wrong")
    assert _sign_in(client, username).status_code == 429


# --- Behind the reverse proxy (issue 9, item 8) -----------------------------------------------

PROXY = "10.0.0.2"


WRONG = "wrong"


def _via_proxy(client, client_address, password=WRONG, forwarded_prefix=""):
    """A sign-in as the proxy passes it on: it appends the address it saw to the header."""
    return client.post(
        reverse("login"),
        {"username": NUMBER, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{forwarded_prefix}{client_address}",
    )


def test_two_clients_behind_one_proxy_are_locked_separately(client, person_user, settings):
    settings.PORTAL_TRUSTED_PROXIES, settings.PORTAL_PROXY_COUNT = [PROXY], 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "203.0.113.5")
    assert _via_proxy(client, "203.0.113.5", PASSWORD).status_code == 429
    # Another client through the same proxy still signs in.
    assert _via_proxy(client, "203.0.113.6", PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_client_behind_the_proxy_cannot_forge_its_way_out(client, person_user, settings):
    settings.PORTAL_TRUSTED_PROXIES, settings.PORTAL_PROXY_COUNT = [PROXY], 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "203.0.113.5")
    # The client writes its own entry; the proxy appends the real address after it.
    forged = _via_proxy(client, "203.0.113.5", PASSWORD, forwarded_prefix="198.51.100.7, ")
    assert forged.status_code == 429
    assert not _signed_in(client)


def test_a_client_not_behind_the_proxy_cannot_choose_its_address(client, person_user, settings):
    settings.PORTAL_TRUSTED_PROXIES, settings.PORTAL_PROXY_COUNT = [PROXY], 1
    direct = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": NUMBER, "password": "wrong"}, **direct)
    forged = client.post(
        reverse("login"),
        {"username": NUMBER, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **direct,
    )
    assert forged.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@pytest.mark.parametrize(
    ("remote", "forwarded", "count", "expected"),
    [
        ("10.0.0.2", "203.0.113.5", 1, "203.0.113.5"),
        ("10.0.0.2", "198.51.100.7, 203.0.113.5", 1, "203.0.113.5"),
        ("203.0.113.9", "198.51.100.8", 1, "203.0.113.9"),  # not our proxy
        ("10.0.0.2", "", 1, "10.0.0.2"),  # the proxy itself (health checks)
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        # A load balancer (10.0.0.3) in front of the proxy: two hops, both trusted.
        ("10.0.0.2", "198.51.100.7, 203.0.113.5, 10.0.0.3", 2, "203.0.113.5"),
        # Two hops allowed, but the second is no proxy of ours: it is the client.
        ("10.0.0.2", "198.51.100.7, 203.0.113.5", 2, "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5", 0, "10.0.0.2"),  # no proxy configured
    ],
)
def test_client_address(rf, settings, remote, forwarded, count, expected):
    from cqcportal.client_ip import client_ip_address

    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3/32"]
    settings.PORTAL_PROXY_COUNT = count
    request = rf.post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected


# --- The lockout's admin pages (issue 9, item 3; rule P-04) -----------------------------------

MASKED = "110105********006X"


@pytest.fixture
def superuser_client(client, world):
    root = UserFactory(username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True)
    other = type(client)()
    other.force_login(root)
    return other


def _admin_pages(model_name, pk):
    base = f"admin:directory_{model_name}"
    return [
        reverse(f"{base}_changelist"),
        reverse(f"{base}_change", args=[pk]),
        reverse(f"{base}_history", args=[pk]),
    ]


def test_the_lockout_admin_masks_the_id_number_everywhere(
    client, person_user, superuser_client, settings
):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    _lock(client)
    from directory.models import SignInFailure, SignInLockout

    lockout = SignInLockout.objects.get()
    pages = _admin_pages("signinlockout", lockout.pk)
    pages += _admin_pages("signinfailure", SignInFailure.objects.first().pk)
    for url in pages:
        page = superuser_client.get(url)
        assert page.status_code == 200, url
        assert NUMBER not in page.content.decode(), url
    listing = superuser_client.get(reverse("admin:directory_signinlockout_changelist"))
    assert MASKED in listing.content.decode()


def test_a_superuser_finds_a_locked_account_by_its_number_and_unlocks_it(
    client, person_user, superuser_client
):
    _lock(client)
    listing = reverse("admin:directory_signinlockout_changelist")
    found = superuser_client.get(listing, {"q": "110105 19850307006x"})
    assert list(found.context["cl"].result_list) == list(AccessAttempt.objects.all())
    assert MASKED in found.content.decode()
    # A fragment of the number finds nothing: the search is no way to guess numbers.
    assert not list(superuser_client.get(listing, {"q": "1101051985"}).context["cl"].result_list)

    lockout = found.context["cl"].result_list[0]
    superuser_client.post(listing, {"action": "unlock", "_selected_action": [lockout.pk]})
    assert not AccessAttempt.objects.exists()
    assert _sign_in(client, NUMBER).status_code == 302
    # The admin's own action log keeps the record's name masked too.
    from django.contrib.admin.models import LogEntry

    assert [entry.object_repr for entry in LogEntry.objects.all()] == [f"{MASKED} (127.0.0.1)"]


def test_the_sign_in_log_masks_the_id_number(client, person_user, superuser_client):
    assert _sign_in(client, NUMBER).status_code == 302
    from directory.models import SignInLogEntry

    entry = SignInLogEntry.objects.get(username=NUMBER)
    for url in _admin_pages("signinlogentry", entry.pk):
        page = superuser_client.get(url)
        assert page.status_code == 200, url
        assert NUMBER not in page.content.decode(), url
        assert MASKED in page.content.decode(), url


def test_guessing_the_current_password_on_the_change_page_counts_and_locks(
    client, person_user
):  # issue 9: a stolen session may not guess the password without limit
    client.force_login(person_user)
    url = reverse("password_change")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    changed = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert changed.status_code != 302  # the right password is refused while locked
    person_user.refresh_from_db()
    assert person_user.check_password(PASSWORD)
    client.logout()
    assert _sign_in(client, NUMBER).status_code == 429


def test_the_change_page_still_changes_a_password(client, person_user):
    client.force_login(person_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    person_user.refresh_from_db()
    assert person_user.check_password("Another-pass-2026")
