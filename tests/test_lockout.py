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
