"""Checking uploaded materials by their content, not their name (L-02)."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from directory.idnumbers import mask_id_number, mask_id_numbers_in

from .constants import MAX_UPLOAD_BYTES

# A first-generation ID number has 15 digits; 15 or 16 in a row in a file name are taken for
# one (or for most of one) too; 17 or 18 in any spelling are ``mask_id_numbers_in``'s.
_SHORT_ID_RUN = re.compile(r"(?<![0-9])[0-9]{15,16}(?![0-9])")

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def _sniff(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _verify_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image is damaged or not really an image."), code="upload_damaged"
        ) from error


def _verify_pdf(upload: UploadedFile, size: int) -> None:
    # A PDF ends with %%EOF (allowing trailing whitespace); a renamed file with a PDF
    # header but no body does not.
    upload.seek(max(0, size - 1024))
    if b"%%EOF" not in upload.read():
        raise ValidationError(_("The PDF file is damaged or incomplete."), code="upload_damaged")


def material_display_name(name: str | None) -> str:
    """The uploaded file's name as it is kept and shown: any ID number in it masked (P-04).

    People name the scan of an ID card after the number on it (``110105199003071052_身份证.pdf``);
    the name is masked before it is stored, so neither the table nor its history holds it.
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = mask_id_numbers_in(text)
    text = _SHORT_ID_RUN.sub(lambda m: mask_id_number(m.group(0)), text)
    return text[-200:]


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """PDF, JPEG or PNG, recognised by content; at most 10 MB (L-02)."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="upload_empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="upload_too_large",
        )
    upload.seek(0)
    content_type = _sniff(upload.read(16))
    if content_type is None:
        raise ValidationError(
            _("Only PDF, JPEG or PNG files are accepted; this file is none of them."),
            code="upload_type",
        )
    if content_type == "application/pdf":
        _verify_pdf(upload, size)
    else:
        _verify_image(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())
