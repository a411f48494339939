"""What a cell of an uploaded list says, for the cells every import reads alike: bounded text,
a resident ID number (P-01), and a state written in English or in Chinese. They are
django-import-export widgets; each app's resource (``access_audit.imports``,
``quality_roles.imports``) names its columns and uses them, and reads a row with
``CleanRowMixin.clean_row``. The rows themselves come from ``cqcportal.tabular``.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.widgets import CharWidget, Widget

from directory.idnumbers import validate_id_number

from .tabular import fold


class TextWidget(CharWidget):
    """Text of at most ``limit`` characters, with no control characters."""

    def __init__(self, limit: int, *, required: bool = False):
        super().__init__(allow_blank=True)
        self.limit, self.required = limit, required

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).strip()
        if self.required and not text:
            raise ValueError(_("This cell is empty."))
        if len(text) > self.limit:
            raise ValueError(_("At most %(limit)d characters.") % {"limit": self.limit})
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise ValueError(_("This cell holds control characters."))
        return text


class IdNumberWidget(Widget):
    """A resident ID number, checked with python-stdnum (P-01) and written canonically; an
    empty cell is refused unless ``required`` is false (then it reads as "")."""

    def __init__(self, *, required: bool = True):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("The ID number is missing."))
            return ""
        try:
            return validate_id_number(text[:40])
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class StateWidget(Widget):
    """A state of ``choices`` (a TextChoices), as its value, its label in either language or
    one of the ``spellings`` another system writes it with; ``unknown_message`` says which
    are known (with ``%(value)s``, the cell)."""

    def __init__(self, choices, spellings: dict, unknown_message: str):
        super().__init__()
        self.choices, self.unknown_message = choices, unknown_message
        self.lookup = {}
        for state in choices:
            for spelling in (state.value, *spellings.get(state, ())):
                self.lookup[fold(spelling)] = state.value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    self.lookup[fold(str(state.label))] = state.value

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        state = self.lookup.get(fold(text))
        if state is None:
            raise ValueError(str(self.unknown_message) % {"value": text[:40]})
        return state

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class CleanRowMixin:
    """For a django-import-export ``Resource``: read one row of text cells field by field."""

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """The row's values, and a message for each cell that cannot be read."""
        values, errors = {}, {}
        for name, field in self.fields.items():
            try:
                values[name] = field.clean({name: str(row.get(name) or "")})
            except ValueError as error:
                errors[name] = str(error)
        return values, errors
