"""Sign-in (ID number or username), lockout, password reset, session settings."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from directory.constants import Role
from directory.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_user(world):
    person = world.person_a
    user = UserFactory(username=person.id_number, role=Role.PERSON, email=person.email)
    person.user = user
    person.save()
    return user


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_person_signs_in_with_the_id_number(client, person_user):  # rule P-01
    response = _sign_in(client, person_user.username)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_id_number_with_lower_case_x_and_spaces_signs_in(client, world):  # rule P-01
    number = "11010519850307006X"
    from directory import services

    person = services.person_create(id_number=number, name="张伟", actor=None, lab=world.lab_a)
    user = UserFactory(username=number, role=Role.PERSON)
    person.user = user
    person.save()
    assert _sign_in(client, " 110105 19850307006x ").status_code == 302


def test_staff_sign_in_with_a_username(client, world):
    assert _sign_in(client, world.branch_n_reviewer.username).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, world):
    response = _sign_in(client, world.branch_n_reviewer.username, "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_five_failures_lock_the_account(client, world):
    username = world.branch_n_reviewer.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, username, "wrong")
    locked = _sign_in(client, username)  # even the right password
    assert locked.status_code == 429
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_lockout_of_one_account_leaves_others_alone(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, world.branch_n_reviewer.username, "wrong")
    assert _sign_in(client, world.branch_s_reviewer.username).status_code == 302


def test_password_reset_mail_never_names_the_id_number(client, person_user):  # rule P-04
    response = client.post(reverse("password_reset"), {"email": person_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/accounts/reset/" in message.body
    assert person_user.username not in message.body
    assert person_user.username not in message.subject


def test_password_reset_link_sets_a_new_password(client, person_user):
    client.post(reverse("password_reset"), {"email": person_user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/") :].strip()
    form_page = client.get(path, follow=True)
    new = "Neues-Passwort-2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    person_user.refresh_from_db()
    assert person_user.check_password(new)


def test_pages_need_sign_in(client, world):
    for name in ["dashboard", "directory:person_list", "directory:lab_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_session_cookie_settings_are_safe():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_portal_users_are_never_admin_staff(world):
    for user in [world.lab_a_staff, world.branch_n_reviewer, world.body_x_admin]:
        assert not user.is_staff and not user.is_superuser


def test_sign_in_page_speaks_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get(reverse("login")).content.decode()
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in response.content.decode()
