"""Pages of the directory as their users see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import Role
from directory.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_person(client, world):
    user = UserFactory(username=world.person_a.id_number, role=Role.PERSON)
    world.person_a.user = user
    world.person_a.save()
    client.force_login(user)
    return world.person_a


def test_person_edits_contact_data_on_the_profile_page(client, signed_in_person):  # rule P-03
    response = client.post(
        reverse("directory:my_profile"),
        {"phone": "13712345678", "email": "new@example.cn", "work_unit": "实验室A", "address": "x"},
    )
    assert response.status_code == 302
    signed_in_person.refresh_from_db()
    assert signed_in_person.phone == "13712345678"
    assert signed_in_person.history.first().history_user.username == signed_in_person.id_number


def test_bad_input_on_the_profile_page_stores_nothing(client, signed_in_person):  # rule P-03
    before = signed_in_person.email
    response = client.post(
        reverse("directory:my_profile"),
        {"phone": "1", "email": "not-an-address", "work_unit": "", "address": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    signed_in_person.refresh_from_db()
    assert signed_in_person.email == before and signed_in_person.phone != "1"


def test_profile_page_shows_the_own_full_id_number(client, signed_in_person):  # rule P-04
    assert (
        signed_in_person.id_number in client.get(reverse("directory:my_profile")).content.decode()
    )


def test_people_list_masks_id_numbers(client, world):  # rule P-04
    client.force_login(world.branch_n_reviewer)
    html = client.get(reverse("directory:person_list")).content.decode()
    assert world.person_a.name in html and world.person_b.name not in html
    assert world.person_a.id_number not in html
    assert world.person_a.masked_id_number in html


def test_lab_staff_see_the_full_id_number_nowhere(client, world):  # rule P-04
    # issue 11: the page must really show their own lab's person, masked; an absent number
    # alone would pass on a 404 or an empty page.
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("directory:person_detail", args=[world.person_a.pk]))
    assert response.status_code == 200
    assert response.context["person"] == world.person_a
    assert response.context["show_full_id_number"] is False
    html = response.content.decode()
    assert world.person_a.name in html
    assert world.person_a.masked_id_number in html
    assert world.person_a.id_number not in html


def test_people_list_filters_by_name_and_lab(client, world):
    client.force_login(world.training_admin)
    url = reverse("directory:person_list")
    by_name = client.get(url, {"q": world.person_b.name}).context["people"]
    assert [p["id"] for p in by_name] == [world.person_b.pk]
    by_lab = client.get(url, {"lab": world.lab_a.pk}).context["people"]
    assert [p["id"] for p in by_lab] == [world.person_a.pk]


def test_a_lab_outside_the_scope_is_not_offered_as_a_filter(client, world):
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("directory:person_list"), {"lab": world.lab_b.pk})
    assert world.person_b.name not in response.content.decode()
    assert response.context["filter"].errors
    # issue 11: and the lab's own people are still listed (an empty page would pass above).
    own = client.get(reverse("directory:person_list"), {"lab": world.lab_a.pk})
    assert [row["id"] for row in own.context["people"]] == [world.person_a.pk]
    assert world.person_a.name in own.content.decode()


def test_people_list_queries_do_not_grow_with_the_rows(client, world):
    # issue 11: the page must really list the rows, or an empty page would pass as well.
    client.force_login(world.branch_n_reviewer)
    url = reverse("directory:person_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    assert [row["id"] for row in first.context["people"]] == [world.person_a.pk]
    added = PersonFactory.create_batch(30, lab=world.lab_a)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)
    assert len(many) == len(few)
    listed = {row["id"] for row in second.context["people"]}
    assert listed == {world.person_a.pk, *(person.pk for person in added)}
    html = second.content.decode()
    assert all(person.name in html for person in added)


def test_navigation_follows_the_role(client, world):
    client.force_login(world.body_x_admin)
    links = {link["name"] for link in client.get(reverse("dashboard")).context["nav_links"]}
    assert "directory:body_list" in links and "directory:lab_list" not in links
    client.force_login(world.branch_n_reviewer)
    links = {link["name"] for link in client.get(reverse("dashboard")).context["nav_links"]}
    assert "directory:lab_list" in links and "directory:body_list" not in links
