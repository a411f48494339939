"""A replaced material's file is kept only as long as the history needs it (issue 9)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from liaisons.constants import MaterialKind
from liaisons.models import ApplicationMaterial
from liaisons.services.applications import liaison_application_withdraw
from liaisons.services.preparation import material_upload
from liaisons.services.retention import REPLACED_MATERIAL_RETENTION, replaced_materials_purge
from liaisons.tests.factories import PDF_BYTES, ready_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def replaced(world):
    """A lab A application whose ID card was uploaded again: (application, old, new name)."""
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    old = ApplicationMaterial.objects.get(application=application, kind=MaterialKind.ID_CARD)
    new = material_upload(
        application=application,
        kind=MaterialKind.ID_CARD,
        upload=SimpleUploadedFile("again.pdf", PDF_BYTES),
        actor=world.lab_a_staff,
    )
    assert old.file.name != new.file.name
    assert default_storage.exists(old.file.name)
    return application, old.file.name, new.file.name


def _after(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_a_replaced_file_is_kept_while_its_application_is_open(replaced):
    application, old, new = replaced
    # (The test storage outlives each test: other tests' files may go too; these must not.)
    deleted = replaced_materials_purge(now=_after(REPLACED_MATERIAL_RETENTION.days + 30))
    assert old not in deleted and new not in deleted
    assert default_storage.exists(old) and default_storage.exists(new)


def test_a_replaced_file_is_deleted_a_year_after_its_application_was_decided(world, replaced):
    # issue 9: replaced uploads were kept for ever
    application, old, new = replaced
    liaison_application_withdraw(application=application, actor=world.lab_a_staff)
    days = REPLACED_MATERIAL_RETENTION.days
    assert old not in replaced_materials_purge(now=_after(days - 1))
    assert default_storage.exists(old)

    assert old in replaced_materials_purge(now=_after(days + 1))
    assert not default_storage.exists(old)
    # Every current file stays; the history still names the old file.
    for material in ApplicationMaterial.objects.filter(application=application):
        assert default_storage.exists(material.file.name)
    assert ApplicationMaterial.history.filter(file=old).exists()
    assert replaced_materials_purge(now=_after(days + 2)) == []  # idempotent


def test_a_file_no_row_names_is_deleted_after_a_day(replaced):
    application, old, new = replaced
    orphan = default_storage.save(
        f"liaisons/materials/{application.pk}/orphan", ContentFile(b"%PDF-1.4 nothing")
    )
    assert orphan not in replaced_materials_purge(now=_after(0))
    assert orphan in replaced_materials_purge(now=_after(2))
    assert not default_storage.exists(orphan)
    assert default_storage.exists(old) and default_storage.exists(new)


def test_the_command_and_the_daily_task(settings, capsys, replaced):
    from cqcportal.celery import app

    call_command("purge_replaced_materials")
    assert "files deleted" in capsys.readouterr().out
    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-replaced-materials"]
    assert schedule["task"] == "liaisons.tasks.purge_replaced_materials"
    assert schedule["task"] in app.tasks
