"""Uploaded file names keep no ID number, in the material table or its history (rule P-04,
issue 9)."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.constants import Role
from directory.tests.factories import UserFactory
from liaisons.constants import MaterialKind
from liaisons.models import ApplicationMaterial
from liaisons.tests.factories import PDF_BYTES, LiaisonApplicationFactory
from liaisons.uploads import material_display_name

pytestmark = pytest.mark.django_db

NUMBER = "110105199003071052"
NAME = f"{NUMBER}_身份证.pdf"
MASKED = "110105********1052_身份证.pdf"


def _all_names(material) -> list[str]:
    return [material.original_name, *material.history.values_list("original_name", flat=True)]


def test_an_id_card_named_after_its_number_is_stored_and_shown_masked(client, world):
    # rule P-04, issue 9: the name is masked before it is stored, so no row ever holds it
    draft = LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, created_by=world.lab_a_staff
    )
    client.force_login(world.lab_a_staff)
    url = reverse("liaisons:application_materials", args=[draft.pk])
    for _round in range(2):  # uploaded, then replaced: two history rows
        upload = SimpleUploadedFile(NAME, PDF_BYTES, "application/pdf")
        response = client.post(url, {"kind": MaterialKind.ID_CARD, "file": upload})
        assert response.status_code in (200, 302)
    material = ApplicationMaterial.objects.get(application=draft, kind=MaterialKind.ID_CARD)
    names = _all_names(material)
    assert len(names) == 3
    assert set(names) == {MASKED}
    assert NUMBER not in material.file.name

    root = UserFactory(username="root", role=Role.TRAINING_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)
    for page in ("change", "history"):
        response = client.get(
            reverse(f"admin:liaisons_applicationmaterial_{page}", args=[material.pk])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert NUMBER not in html
    assert (
        "110105********1052"
        in client.get(
            reverse("admin:liaisons_applicationmaterial_change", args=[material.pk])
        ).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        (NAME, MASKED),
        ("身份证 110105 1990 0307 1052.jpg", "身份证 110105********1052.jpg"),
        ("11010519900307105x.png", "110105********105X.png"),
        ("１１０１０５１９９００３０７１０５２.pdf", "110105********1052.pdf"),
        ("old-card-110105900307105.pdf", "old-card-110105*****7105.pdf"),  # 15 digits
        ("推荐表.pdf", "推荐表.pdf"),
        ("scan 2026-12-04.pdf", "scan 2026-12-04.pdf"),
    ],
)
def test_every_spelling_of_a_number_in_a_file_name_is_masked(name, masked):  # rule P-04
    assert material_display_name(name) == masked


def test_the_migration_masks_names_already_stored_and_their_history(world):
    # rule P-04, issue 9: rows written before names were masked on upload
    import importlib

    migration = importlib.import_module("liaisons.migrations.0005_mask_material_names")
    draft = LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, created_by=world.lab_a_staff
    )
    material = ApplicationMaterial(
        application=draft,
        kind=MaterialKind.ID_CARD,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        original_name=NAME,
        uploaded_by=world.lab_a_staff,
    )
    material.file.save("upload", SimpleUploadedFile("x", PDF_BYTES), save=False)
    material.save()
    other = ApplicationMaterial.objects.create(
        application=draft,
        kind=MaterialKind.RECOMMENDATION_FORM,
        file=material.file.name,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        original_name="推荐表.pdf",
        uploaded_by=world.lab_a_staff,
    )
    assert NAME in _all_names(material)

    migration.mask_original_names(apps, None)

    material.refresh_from_db()
    assert set(_all_names(material)) == {MASKED}
    other.refresh_from_db()
    assert set(_all_names(other)) == {"推荐表.pdf"}
