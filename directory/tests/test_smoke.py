import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_every_role_sees_its_dashboard(client, world):
    for user in [
        world.lab_a_staff,
        world.branch_n_reviewer,
        world.body_x_admin,
        world.training_admin,
        world.evaluator,
        world.inspector,
    ]:
        client.force_login(user)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert user.get_role_display() in response.content.decode()
