"""The timeline of a record: every change (django-simple-history) and every state transition
(django-fsm-log), newest first, for the detail pages."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin
from django_fsm_log.models import StateLog

#: Fields never shown in a timeline, whatever the model.
HIDDEN_FIELDS = frozenset({"id_number", "password", "last_login"})

_HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    comment: str = ""


def _who(user) -> str:
    if user is None:
        return str(_("system"))
    person = getattr(user, "person", None)
    return person.name if person is not None else (user.get_full_name() or user.get_username())


def timeline_for(obj: models.Model, *, limit: int = 50) -> list[TimelineEntry]:
    """Changes and transitions of ``obj``, newest first, at most ``limit`` of them."""
    entries: list[TimelineEntry] = []
    # State fields are shown by their transitions (django-fsm-log), not again as changes.
    state_fields = {f.name: f for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin)}
    history = getattr(obj, "history", None)
    if history is not None:
        records = list(
            history.select_related("history_user__person").order_by("-history_date")[: limit + 1]
        )
        for newer, older in zip(records, [*records[1:], None], strict=True):
            if len(entries) == limit:
                break
            changes = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older)
                if delta.changes and all(c.field in state_fields for c in delta.changes):
                    continue
                for change in delta.changes:
                    if change.field in HIDDEN_FIELDS or change.field in state_fields:
                        continue
                    model_field = obj._meta.get_field(change.field)
                    changes.append(
                        (
                            str(model_field.verbose_name),
                            _display(model_field, change.old),
                            _display(model_field, change.new),
                        )
                    )
            entries.append(
                TimelineEntry(
                    when=newer.history_date,
                    who=_who(newer.history_user),
                    what=str(_HISTORY_TYPES.get(newer.history_type, newer.history_type)),
                    changes=changes,
                    comment=newer.history_change_reason or "",
                )
            )
    content_type = ContentType.objects.get_for_model(obj)
    logs = (
        StateLog.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("by__person")
        .order_by("-timestamp")[:limit]
    )
    labels = {}
    for state_field in state_fields.values():
        labels.update({str(k): str(v) for k, v in state_field.flatchoices})
    for log in logs:
        entries.append(
            TimelineEntry(
                when=log.timestamp,
                who=_who(log.by),
                what=str(_("%(source)s → %(target)s"))
                % {
                    "source": labels.get(log.source_state, log.source_state),
                    "target": labels.get(log.state, log.state),
                },
                comment=log.description or "",
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, list):  # many-to-many changes come as lists of through rows
        return _display_related(model_field, value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)


def _display_related(model_field, rows: list) -> str:
    """A many-to-many value of the history: the related objects, by their own names."""
    related = model_field.related_model
    key = related._meta.model_name
    pks = [row.get(key) if isinstance(row, dict) else row for row in rows]
    objects = related._default_manager.in_bulk(pks)
    return ", ".join(str(objects.get(pk, pk)) for pk in pks) or "—"
