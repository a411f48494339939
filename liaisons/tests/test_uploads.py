"""Uploads refused by their content (L-02; issue 9): pixel bombs, PDF scripts and actions,
web pages disguised as a PDF or an image. Nothing refused is stored."""

import struct
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaisons.constants import MaterialKind
from liaisons.models import ApplicationMaterial
from liaisons.services.preparation import material_upload
from liaisons.tests.factories import PDF_BYTES, LiaisonApplicationFactory, png_bytes
from liaisons.uploads import check_upload

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _code(content: bytes, name: str = "upload") -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content))
    return refused.value.code


def _stored_files() -> int:
    # The test storage lives as long as the process: count, then compare.
    try:
        directories, files = default_storage.listdir("liaisons/materials")
    except FileNotFoundError:
        return 0
    return len(files) + sum(
        len(default_storage.listdir(f"liaisons/materials/{d}")[1]) for d in directories
    )


@pytest.fixture
def draft(world):
    return LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, created_by=world.lab_a_staff
    )


def test_a_png_claiming_40000_by_40000_pixels_is_refused_on_the_page(client, world, draft):
    # issue 9: the upload answered 500 (Pillow's DecompressionBombError); rule L-02
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.lab_a_staff)
    files_before = _stored_files()
    bomb = SimpleUploadedFile("photo.png", _png_claiming(40000, 40000), "image/png")
    response = client.post(
        reverse("liaisons:application_materials", args=[draft.pk]),
        {"kind": MaterialKind.ID_CARD, "file": bomb},
    )
    assert response.status_code == 400
    assert "at most 50 million pixels are accepted" in response.content.decode()
    assert not ApplicationMaterial.objects.filter(application=draft).exists()
    assert _stored_files() == files_before


@pytest.mark.parametrize(("width", "height"), [(40000, 40000), (10000, 5001), (200000, 300)])
def test_an_image_over_the_pixel_limit_is_refused_before_decoding(width, height):
    assert _code(_png_claiming(width, height)) == "upload_too_many_pixels"


def test_an_image_within_the_pixel_limit_passes():
    assert check_upload(SimpleUploadedFile("a.png", png_bytes())).content_type == "image/png"


@pytest.mark.parametrize(
    "active",
    [
        b"1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj",
        b"2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"2 0 obj<</S/J#61vaScript/J#53 (app.alert(1))>>endobj",
        b"3 0 obj<</Type/Page/AA<</O 2 0 R>>>>endobj",
        b"2 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        b"4 0 obj<</Type/EmbeddedFile>>endobj",
        b"5 0 obj<</RichMedia 1>>endobj",
        b"6 0 obj<</AcroForm<</XFA 7 0 R>>>>endobj",
    ],
)
def test_a_pdf_with_scripts_actions_or_attachments_is_refused(active):
    # issue 9: a PDF that runs something when opened is no scanned form
    assert _code(_pdf(active)) == "upload_active_pdf"


def test_a_pdf_action_hidden_in_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"<</Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>>>")
    body = b"1 0 obj<</Type/ObjStm/Filter/FlateDecode>>stream\n" + hidden + b"\nendstream endobj"
    assert _code(_pdf(body)) == "upload_active_pdf"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (_pdf(b"<html><script>alert(1)</script></html>"), "form.pdf"),
        (PDF_BYTES + b"<!DOCTYPE html>", "form.pdf"),
        (_pdf(b"%<SVG onload=alert(1)>"), "form.pdf"),
        (png_bytes() + b"<script>alert(1)</script>", "photo.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20 + b"<Body onload=x>", "photo.jpg"),
    ],
)
def test_a_pdf_or_image_that_is_also_a_web_page_is_refused(content, name):
    # issue 9: polyglots, case-insensitive, anywhere in the file
    assert _code(content, name) == "upload_markup"


def test_a_plain_pdf_and_a_pdf_with_xmp_metadata_pass():
    xmp = b'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    for content in (PDF_BYTES, _pdf(b"2 0 obj<</Type/Metadata>>stream\n" + xmp + b"\nendstream")):
        assert check_upload(SimpleUploadedFile("a.pdf", content)).content_type == "application/pdf"


def test_the_service_stores_nothing_it_refuses(world, draft):
    upload = SimpleUploadedFile("form.pdf", _pdf(b"1 0 obj<</OpenAction 2 0 R>>endobj"))
    files_before = _stored_files()
    with pytest.raises(ValidationError):
        material_upload(
            application=draft, kind=MaterialKind.ID_CARD, upload=upload, actor=world.lab_a_staff
        )
    assert not ApplicationMaterial.objects.filter(application=draft).exists()
    assert _stored_files() == files_before
