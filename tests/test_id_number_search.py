"""ID numbers in lists, addresses and searches (rule P-04, issue 9).

Lists show ID numbers masked to every role, in the pages and in the API; searching by ID
number works for the roles that may see full numbers and never puts the number in a URL.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from directory.idnumbers import mask_id_number
from directory.idsearch import SESSION_KEY
from liaisons.tests.factories import LiaisonApplicationFactory, LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("directory:person_list")


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _spaced(number: str) -> str:
    """How people type it: groups with spaces, a lower-case x."""
    return f"{number[:6]} {number[6:14]} {number[14:]}".lower()


def _no_number_in(text: str, *numbers: str) -> None:
    for number in numbers:
        assert number not in text
        assert number[:17] not in text  # nor the 17-digit prefix
    assert not re.search(r"[0-9]{15}", text)


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', html)


#: Who sees which people of the world in the lists (directory.selectors.person_list).
ROLES = [
    ("training_admin", ["person_a", "person_b"]),
    ("branch_n_reviewer", ["person_a"]),
    ("inspector", ["person_x", "person_y"]),
    ("body_x_admin", ["person_x"]),
    ("lab_a_staff", ["person_a"]),
]


@pytest.mark.parametrize(("role", "people"), ROLES)
def test_the_people_page_shows_only_masked_numbers(client, world, role, people):
    # rule P-04, issue 9: lists are masked for every role, even those who may see full numbers
    client.force_login(getattr(world, role))
    html = client.get(PEOPLE).content.decode()
    for name in people:
        person = getattr(world, name)
        assert person.name in html
        assert mask_id_number(person.id_number) in html
    _no_number_in(html)


@pytest.mark.parametrize(("role", "people"), ROLES)
def test_the_people_api_list_shows_only_masked_numbers(world, role, people):
    # rule P-04, issue 9: GET /api/people/ showed full numbers to four roles
    api = APIClient()
    api.force_authenticate(getattr(world, role))
    body = api.get("/api/people/").json()
    shown = {row["name"]: row["id_number"] for row in body["results"]}
    for name in people:
        person = getattr(world, name)
        assert shown[person.name] == mask_id_number(person.id_number)
    _no_number_in(str(body))


def test_search_by_id_number_finds_the_person_and_no_url_holds_the_number(client, world):
    # rule P-04, issue 9: the form posts; the browser is sent to ?idq=<opaque key>
    number = world.person_a.id_number
    client.force_login(world.training_admin)
    response = client.post(PEOPLE, {"q": _spaced(number), "lab": world.lab_a.pk})
    assert response.status_code == 302
    location = response["Location"]
    _no_number_in(location, number)
    assert "idq=" in location and f"lab={world.lab_a.pk}" in location

    page = client.get(location)
    html = page.content.decode()
    assert [row["name"] for row in page.context["people"]] == [world.person_a.name]
    assert mask_id_number(number) in html
    _no_number_in(html, number)
    for link in _links(html):
        _no_number_in(link, number)
    # The session keeps the people found, not the number.
    _no_number_in(str(client.session[SESSION_KEY]), number)


def test_search_by_id_number_keeps_pagination_and_other_filters(client, world):
    # rule P-04, issue 9
    client.force_login(world.training_admin)
    location = client.post(PEOPLE, {"q": world.person_b.id_number})["Location"]
    assert client.get(location).context["people"][0]["name"] == world.person_b.name
    # The same search with a lab it is not in finds no one; the key still works on page 1.
    key = re.search(r"idq=([^&]+)", location).group(1)
    response = client.get(PEOPLE, {"idq": key, "lab": world.lab_a.pk, "page": 1})
    assert list(response.context["people"]) == []
    # A name search still goes to the URL as before.
    location = client.post(PEOPLE, {"q": world.person_b.name})["Location"]
    assert "q=" in location
    assert client.get(location).context["people"][0]["name"] == world.person_b.name


def test_a_role_that_never_sees_full_numbers_cannot_search_by_one(client, world):
    # rule P-04, issue 9: lab staff see numbers masked, so a search by number must not tell
    # them whom a number belongs to
    client.force_login(world.lab_a_staff)
    response = client.post(PEOPLE, {"q": world.person_a.id_number}, follow=True)
    assert "idq" not in response.redirect_chain[-1][0]
    html = response.content.decode()
    assert "not searched by ID number" in html
    _no_number_in(html, world.person_a.id_number)


def test_search_by_id_number_stays_within_the_scope(client, world):
    # rule P-04, issue 9: branch S's reviewer cannot find branch N's person by number
    client.force_login(world.branch_s_reviewer)
    location = client.post(PEOPLE, {"q": world.person_a.id_number})["Location"]
    assert list(client.get(location).context["people"]) == []


def test_an_id_number_in_the_address_is_not_searched_nor_echoed(client, world):
    # rule P-04, issue 9: a number that arrives in a URL all the same is dropped
    number = world.person_a.id_number
    client.force_login(world.training_admin)
    response = client.get(PEOPLE, {"q": number, "lab": world.lab_a.pk})
    assert response.status_code == 302
    _no_number_in(response["Location"], number)
    html = client.get(response["Location"]).content.decode()
    _no_number_in(html, number)
    assert "type it into the search box" in html


def test_an_unknown_search_key_shows_no_one(client, world):
    client.force_login(world.training_admin)
    response = client.get(PEOPLE, {"idq": "not-a-key"})
    assert response.status_code == 200
    assert list(response.context["people"]) == []
    # issue 11: the same user sees people without the key, or a list that is always empty
    # would pass above.
    listed = {row["id"] for row in client.get(PEOPLE).context["people"]}
    assert listed == {world.person_a.pk, world.person_b.pk}


@pytest.mark.parametrize("role", ["training_admin", "branch_n_reviewer"])
def test_the_application_list_is_searched_by_id_number_without_a_url(client, world, role):
    # rule P-04, issue 9
    application = LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, created_by=world.lab_a_staff, passed=True
    )
    LiaisonApplicationFactory(
        lab=world.lab_a, created_by=world.lab_a_staff, passed=True
    )  # someone else
    url = reverse("liaisons:application_list")
    client.force_login(getattr(world, role))
    number = world.person_a.id_number
    response = client.post(url, {"q": number, "state": ["passed"]})
    _no_number_in(response["Location"], number)
    page = client.get(response["Location"])
    assert [row["id"] for row in page.context["applications"]] == [application.pk]
    html = page.content.decode()
    _no_number_in(html, number)


def test_the_liaison_list_is_searched_by_id_number_without_a_url(client, world):
    # rule P-04, issue 9
    qualification = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b)
    url = reverse("liaisons:qualification_list")
    client.force_login(world.training_admin)
    number = world.person_a.id_number
    response = client.post(url, {"q": _spaced(number)})
    _no_number_in(response["Location"], number)
    page = client.get(response["Location"])
    assert [q.pk for q in page.context["qualifications"]] == [qualification.pk]
    _no_number_in(page.content.decode(), number)


def test_the_api_searches_by_id_number_in_the_body_only(world):
    # rule P-04, issue 9: a query parameter is a URL too
    number = world.person_x.id_number
    api = APIClient()
    api.force_authenticate(world.body_x_admin)
    response = api.post("/api/people/search/", {"id_number": _spaced(number)}, format="json")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == [world.person_x.name]
    assert rows[0]["id_number"] == mask_id_number(number)
    # In a query string it is refused, and the answer does not repeat it.
    response = api.get("/api/people/", {"employment_number": number})
    assert response.status_code == 400
    _no_number_in(str(response.content), number)
    # Body Y's administrator may not see body X's people's numbers: nobody found.
    api.force_authenticate(world.body_y_admin)
    response = api.post("/api/people/search/", {"id_number": number}, format="json")
    assert response.json()["results"] == []
    # Lab staff never see full numbers: the search is refused.
    api.force_authenticate(world.lab_a_staff)
    response = api.post("/api/people/search/", {"id_number": number}, format="json")
    assert response.status_code == 403


# --- the public roster (L-11) --------------------------------------------------------------

ROSTER = reverse("liaisons:roster")


@pytest.fixture
def roster(world):
    world.person_a.employment_number = "10000001"
    world.person_a.save()
    world.person_b.employment_number = "10000002"
    world.person_b.save()
    LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a)
    LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b)
    return world


def test_the_roster_is_no_oracle_for_id_numbers(client, roster):
    # rule L-11, rule P-04, issue 9: an ID number typed into the roster's name box is neither
    # searched nor echoed, and the form posts so it never reaches the address
    number = roster.person_a.id_number
    html = client.get(ROSTER).content.decode()
    assert 'method="post"' in html
    for spelling in (number, _spaced(number), number[:17]):
        response = client.post(ROSTER, {"name": spelling, "lab": "实验室"})
        assert response.status_code == 302
        _no_number_in(response["Location"], number)
        assert "lab=" in response["Location"]
        page = client.get(response["Location"])
        html = page.content.decode()
        _no_number_in(html, number)
        assert "not searched by ID number" in html
        # Exactly what the search without the number shows: both liaisons, nothing singled out.
        assert {row["name"] for row in page.context["entries"]} == {"甲", "乙"}
    # A name still searches as before.
    location = client.post(ROSTER, {"name": "甲"})["Location"]
    assert [row["name"] for row in client.get(location).context["entries"]] == ["甲"]


def test_an_id_number_in_the_roster_address_is_dropped(client, roster):
    # rule L-11, rule P-04, issue 9
    number = roster.person_a.id_number
    response = client.get(ROSTER, {"name": number})
    assert response.status_code == 302
    _no_number_in(response["Location"], number)
    html = client.get(response["Location"]).content.decode()
    _no_number_in(html, number)


def test_the_roster_api_refuses_an_id_number_in_its_query(roster):
    # rule L-11, rule P-04, issue 9: the public API neither searches it nor repeats it
    number = roster.person_a.id_number
    response = APIClient().get("/api/liaisons/roster/", {"q": number})
    assert response.status_code == 400
    _no_number_in(response.content.decode(), number)
    assert APIClient().get("/api/liaisons/roster/", {"q": "甲"}).status_code == 200
