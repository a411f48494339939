"""The demo's certificates (Q-05): the first body's imported with one uncovered."""

import pytest
from django.core.management import call_command

from quality_roles import coverage
from quality_roles.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_holds_certificates_with_one_uncovered():
    # rule Q-05: the director's dashboard has something to show
    call_command("seed_demo")
    count = Certificate.objects.count()
    call_command("seed_demo")
    assert Certificate.objects.count() == count == 7
    uncovered = Certificate.objects.filter(pk__in=coverage.uncovered(Certificate.objects.all()))
    assert [c.number for c in uncovered] == ["CQC26001200343"]
