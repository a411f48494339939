"""Reading the business system's account list (CSV or XLSX) and what each of its cells says.

The file is read by ``cqcportal.tabular`` (by its content, within limits a hostile file cannot
get round, every cell as text, so the rows can wait in the session between the preview and the
confirmation).

What each column means is said once, by a django-import-export resource
(``AccountListResource``): its fields name the columns and its widgets turn a cell into a
username, an ID number (python-stdnum, P-01), a lab, a date or a state, or say in words why
they cannot. Checking a row against the portal's records and writing it is
``access_audit.services.imports``'s work.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateWidget, Widget

from cqcportal.limits import PERSON_NAME_MAX_LENGTH
from cqcportal.tabular import TableSpec, read_rows
from cqcportal.tabular_cells import CleanRowMixin, IdNumberWidget, StateWidget, TextWidget
from directory.models import TestingLab

from .constants import LoginRightState
from .models.rights import USERNAME_MAX_LENGTH

#: An account list is a few hundred kilobytes per thousand accounts.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: What an XLSX file may unpack to: a zip of a few megabytes can hold gigabytes of XML.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
#: Rows per file: the preview and the import each check every one within one request
#: (5,000 new accounts take about ten seconds on a loaded two-core machine, docs/decisions.md);
#: a larger list is imported in parts, each all or nothing.
MAX_ROWS = 5_000
#: Columns read per row, and characters per cell: enough for any real list.
MAX_COLUMNS = 30
MAX_CELL_LENGTH = 200

#: The columns, each with the headings it may carry (compared without case, spaces and _).
COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("Username", "Business-system username", "用户名", "账号", "登录名", "登录账号"),
    "id_number": ("ID number", "身份证号", "身份证号码", "证件号码"),
    "name": ("Name", "Full name", "姓名"),
    "lab": ("Lab", "Testing lab", "Lab USCC or name", "实验室", "检测机构", "签约检测机构"),
    "last_login_on": (
        "Last login",
        "Last login date",
        "Last login on",
        "最后登录日期",
        "最近登录日期",
        "最后登录时间",
        "上次登录",
    ),
    "state": ("State", "状态", "账号状态"),
}

ACCOUNT_LIST = TableSpec(
    columns=COLUMNS,
    columns_message=gettext_lazy(
        "The first row must name the columns (%(problems)s). Expected: Username, ID "
        "number, Name, Lab (unified social credit code or name), Last login, State (or "
        "their Chinese names)."
    ),
    no_rows_message=gettext_lazy("The file holds no account."),
    too_many_rows_message=gettext_lazy(
        "The file has more than %(count)d accounts; import it in parts."
    ),
    max_rows=MAX_ROWS,
    max_file_bytes=MAX_FILE_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_columns=MAX_COLUMNS,
    max_cell_length=MAX_CELL_LENGTH,
)


def read_account_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of the file as ``{"row": number in the file, "username": ..., "id_number":
    ..., "name": ..., "lab": ..., "last_login_on": ..., "state": ...}``, every value text;
    empty rows skipped (``cqcportal.tabular``)."""
    return read_rows(upload, ACCOUNT_LIST)


# --- what each cell says (django-import-export widgets) ---------------------------------------


class UsernameWidget(TextWidget):
    def __init__(self):
        super().__init__(USERNAME_MAX_LENGTH, required=True)

    def clean(self, value, row=None, **kwargs):
        from .services.requests import clean_username

        text = super().clean(value, row, **kwargs)
        try:
            return clean_username(text)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class LabLookup:
    """The labs, found by unified social credit code (the lab's code) or by exact name."""

    def __init__(self):
        self.by_uscc: dict[str, TestingLab] = {}
        self.by_name: dict[str, list[TestingLab]] = {}
        for lab in TestingLab.objects.only("id", "name", "uscc", "branch_id"):
            self.by_uscc[lab.uscc.upper()] = lab
            self.by_name.setdefault(lab.name.strip(), []).append(lab)

    def find(self, text: str) -> TestingLab:
        text = text.strip()
        if not text:
            raise ValueError(_("The lab is missing."))
        lab = self.by_uscc.get(text.upper())
        if lab is not None:
            return lab
        named = self.by_name.get(text, [])
        if len(named) > 1:
            raise ValueError(
                _(
                    "Several testing labs are named “%(name)s”; give the unified social credit "
                    "code instead."
                )
                % {"name": text}
            )
        if not named:
            raise ValueError(
                _(
                    "Unknown testing lab “%(lab)s”: no lab has this unified social credit code "
                    "or name."
                )
                % {"lab": text}
            )
        return named[0]


class LabWidget(Widget):
    def __init__(self, labs: LabLookup | None = None):
        super().__init__()
        self.labs = labs

    def clean(self, value, row=None, **kwargs):
        return self.labs.find(str(value or "")[:MAX_CELL_LENGTH])

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class LastLoginWidget(DateWidget):
    """The date of the last login in the business system, as a spreadsheet or a person writes
    it; empty when the account never logged in. Never in the future."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def __init__(self):
        super().__init__()
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        # A date written out with a time: "2011-05-26 09:30:00", "2011-05-26T09:30".
        text = text.split(" ")[0].split("T")[0]
        try:
            day = super().clean(text, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date; write it as 2011-05-26.") % {"value": str(value)[:40]}
            ) from None
        if day is not None and day > timezone.localdate():
            raise ValueError(_("The last login lies in the future."))
        return day


#: The account's state as the business system writes it, besides its value and label.
STATE_SPELLINGS = {
    LoginRightState.ACTIVE: ("正常", "启用", "有效", "在用"),
    LoginRightState.SUSPENDED: ("暂停", "停用", "冻结"),
    LoginRightState.REVOKED: ("注销", "已注销", "撤销", "禁用"),
}
UNKNOWN_STATE = gettext_lazy(
    "Unknown state “%(value)s”: write active, suspended or revoked (正常, 暂停, 注销)."
)


class AccountListResource(CleanRowMixin, resources.Resource):
    """The columns of the business system's account list, and how each cell is read."""

    username = Field(attribute="username", column_name="username", widget=UsernameWidget())
    id_number = Field(attribute="id_number", column_name="id_number", widget=IdNumberWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget(PERSON_NAME_MAX_LENGTH))
    lab = Field(attribute="lab", column_name="lab", widget=LabWidget())
    last_login_on = Field(
        attribute="last_login_on", column_name="last_login_on", widget=LastLoginWidget()
    )
    state = Field(
        attribute="state",
        column_name="state",
        widget=StateWidget(LoginRightState, STATE_SPELLINGS, UNKNOWN_STATE),
    )

    def __init__(self, *, labs: LabLookup, **kwargs):
        super().__init__(**kwargs)
        self.fields["lab"].widget = LabWidget(labs)
