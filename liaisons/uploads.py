"""Checking uploaded materials by their content, not their name (L-02)."""

import hashlib
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from directory.idnumbers import mask_id_number, mask_id_numbers_in

from .constants import MAX_UPLOAD_BYTES, MAX_UPLOAD_PIXELS

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


#: HTML that a browser would run if the file were ever shown as a page: a tag's name and then
#: what may end it. Looked for in the whole file, so a PDF or image that is also a web page
#: (a polyglot) is refused. Requiring the end of the tag keeps compressed bytes from matching
#: by chance (under one 10 MB file in a thousand for the shortest, ``<svg``).
_HTML_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta)[\s/>]", re.IGNORECASE
)

#: Names of PDF actions and attachments: scripts, what runs on opening, on a page or field
#: event (AA), programs, embedded files, Flash and XFA forms. A scanned form needs none.
_PDF_ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
    }
)
# A PDF name: a slash and regular characters; ``#xx`` writes any byte (``/J#61vaScript``).
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}\x00]+)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n")
#: At most this many bytes are inflated from a PDF's streams to look inside object streams:
#: a small file cannot make the check inflate gigabytes.
_PDF_INFLATE_LIMIT = 4 * MAX_UPLOAD_BYTES


def _refuse_html(data: bytes) -> None:
    if _HTML_MARKUP.search(data):
        raise ValidationError(
            _("The file contains web-page markup (HTML); such files are not accepted."),
            code="upload_markup",
        )


def _pdf_names(data: bytes):
    for match in _PDF_NAME.finditer(data):
        yield _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _inflated_streams(data: bytes):
    """The content of the PDF's deflated streams (object streams hide dictionaries there)."""
    budget = _PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def _refuse_pdf_actions(data: bytes) -> None:
    for part in (data, *_inflated_streams(data)):
        found = sorted({name.decode("latin-1") for name in _pdf_names(part)} & _PDF_ACTIVE_NAMES)
        if found:
            raise ValidationError(
                _(
                    "The PDF contains scripts, actions or embedded files (%(names)s); "
                    "print it to a plain PDF or scan it, and upload that."
                )
                % {"names": ", ".join(found)},
                code="upload_active_pdf",
            )


def _verify_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        # Opening reads the header only; its size is checked before anything is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_UPLOAD_PIXELS:
                    raise _too_many_pixels(width, height)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard fired while opening (its limit is far above ours).
        raise _too_many_pixels(None, None) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image is damaged or not really an image."), code="upload_damaged"
        ) from error


def _too_many_pixels(width: int | None, height: int | None) -> ValidationError:
    limit = MAX_UPLOAD_PIXELS // 1_000_000
    if width is None:
        message = _("The image is too large; at most %(limit)s million pixels are accepted.") % {
            "limit": limit
        }
    else:
        message = _(
            "The image claims %(width)s × %(height)s pixels; at most %(limit)s million pixels "
            "are accepted. Scan it at a lower resolution."
        ) % {"width": width, "height": height, "limit": limit}
    return ValidationError(message, code="upload_too_many_pixels")


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
    """PDF, JPEG or PNG, recognised by content; at most 10 MB (L-02); no HTML, no PDF
    scripts or actions, no image of more pixels than MAX_UPLOAD_PIXELS (issue 9)."""
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
    upload.seek(0)
    data = upload.read()  # at most MAX_UPLOAD_BYTES, checked above
    _refuse_html(data)
    if content_type == "application/pdf":
        _verify_pdf(upload, size)
        _refuse_pdf_actions(data)
    else:
        _verify_image(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())
