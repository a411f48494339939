"""Reading a body's certificate list (CSV or XLSX) and what each of its cells says (Q-05).

The file is read by ``cqcportal.tabular``, as the business system's account list is: by its
content, within limits a hostile file cannot get round, every cell as text.

The columns: certificate number, product, project or category (the code of one of the body's
certification projects, else of one of its product categories), state, and the responsible
lead, named by the resident ID number of the person holding the lead appointment (P-01): the
one identifier a body's list and the portal share for sure (names repeat, and body staff have
no employment number). An empty lead cell imports the certificate without a lead: it is
uncovered at once (Q-05). What each column means is said once, by a django-import-export
resource (``CertificateListResource``); checking rows against the portal's records and
writing them is ``quality_roles.services.imports``'s work.
"""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field

from cqcportal.tabular import TableSpec, read_rows
from cqcportal.tabular_cells import CleanRowMixin, IdNumberWidget, StateWidget, TextWidget

from .constants import (
    CERTIFICATE_NUMBER_MAX_LENGTH,
    CODE_MAX_LENGTH,
    PRODUCT_MAX_LENGTH,
    CertificateState,
)

#: A list of a few thousand certificates is a few hundred kilobytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: What an XLSX file may unpack to: a zip of a few megabytes can hold gigabytes of XML.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
#: Rows per file, as for the account list: the preview and the import each check every row
#: within one request; a larger list is imported in parts, each all or nothing.
MAX_ROWS = 5_000
MAX_COLUMNS = 30
MAX_CELL_LENGTH = 400

#: The columns, each with the headings it may carry (compared without case, spaces and _).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Certificate number", "Number", "证书编号", "证书号"),
    "product": ("Product", "产品", "产品名称", "认证产品"),
    "project": (
        "Project or category",
        "Project",
        "Category",
        "认证项目",
        "产品类别",
        "认证项目或产品类别",
    ),
    "state": ("State", "状态", "证书状态"),
    "lead": (
        "Responsible lead",
        "Lead ID number",
        "Responsible lead ID number",
        "项目质量负责人",
        "质量负责人身份证号",
        "项目质量负责人身份证号",
    ),
}


CERTIFICATE_LIST = TableSpec(
    columns=COLUMNS,
    columns_message=gettext_lazy(
        "The first row must name the columns (%(problems)s). Expected: Certificate "
        "number, Product, Project or category, State, Responsible lead (or their "
        "Chinese names)."
    ),
    no_rows_message=gettext_lazy("The file holds no certificate."),
    too_many_rows_message=gettext_lazy(
        "The file has more than %(count)d certificates; import it in parts."
    ),
    max_rows=MAX_ROWS,
    max_file_bytes=MAX_FILE_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_columns=MAX_COLUMNS,
    max_cell_length=MAX_CELL_LENGTH,
)


def read_certificate_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, "number": ..., "product": ...,
    "project": ..., "state": ..., "lead": ...}``, every value text; empty rows skipped
    (``cqcportal.tabular``)."""
    return read_rows(upload, CERTIFICATE_LIST)


# --- what each cell says (django-import-export widgets) ---------------------------------------


#: The certificate's state as bodies write it, besides its value and label.
STATE_SPELLINGS = {
    CertificateState.VALID: ("有效", "正常"),
    CertificateState.SUSPENDED: ("暂停", "暂停使用"),
    CertificateState.WITHDRAWN: ("撤销", "已撤销", "注销", "已注销"),
    CertificateState.EXPIRED: ("过期", "已过期", "失效"),
}
UNKNOWN_STATE = gettext_lazy(
    "Unknown state “%(value)s”: write valid, suspended, withdrawn or expired "
    "(有效, 暂停, 撤销, 过期)."
)


class CertificateListResource(CleanRowMixin, resources.Resource):
    """The columns of a body's certificate list, and how each cell is read."""

    number = Field(
        attribute="number",
        column_name="number",
        widget=TextWidget(CERTIFICATE_NUMBER_MAX_LENGTH, required=True),
    )
    product = Field(
        attribute="product",
        column_name="product",
        widget=TextWidget(PRODUCT_MAX_LENGTH, required=True),
    )
    project = Field(
        attribute="project",
        column_name="project",
        widget=TextWidget(CODE_MAX_LENGTH, required=True),
    )
    state = Field(
        attribute="state",
        column_name="state",
        widget=StateWidget(CertificateState, STATE_SPELLINGS, UNKNOWN_STATE),
    )
    #: The resident ID number of the responsible lead (P-01), or nothing: no lead.
    lead = Field(attribute="lead", column_name="lead", widget=IdNumberWidget(required=False))
