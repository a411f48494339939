"""The timeline of a record: every change (django-simple-history) and every state transition
(django-fsm-log), newest first, for the detail pages."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin
from django_fsm_log.models import StateLog
from simple_history.models import HistoricalRecords

from directory.idnumbers import mask_account_name, mask_id_number

#: Fields never shown in a timeline, whatever the model.
HIDDEN_FIELDS = frozenset({"password", "last_login"})
#: Fields shown masked: an ID number, and a username, which is a person's ID number (P-04).
MASKED_FIELDS = {"id_number": mask_id_number, "username": mask_account_name}

_HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

#: Change reasons a system writes, stored as a code and read in the reader's language. A
#: sentence translated when it is written reads in the language of whoever (or whichever job)
#: wrote it: an English page showed the hourly job's Chinese (issue 13).
_REASONS: dict[str, Promise] = {}


def reason_register(code: str, text: Promise) -> None:
    """Show the history change reason ``code`` as ``text`` (a lazy translation). An app
    registers its codes when it is ready, as the dashboard's cards are registered."""
    _REASONS[code] = text


def reason_text(stored: str | None) -> str:
    """A stored change reason as a reader sees it: a registered code in the active language,
    anything else (a person's words) as written."""
    if not stored:
        return ""
    text = _REASONS.get(stored)
    return stored if text is None else str(text)


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
    return user.display_name


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
        # Many-to-many snapshots of the whole page at once: simple-history's diff reads them
        # with two queries per entry.
        m2m_fields = list(getattr(history.model, "_history_m2m_fields", ()))
        snapshots = _m2m_snapshots(m2m_fields, records)
        shown: list[tuple] = []  # (record, [(model field, old, new)])
        # A record written in bulk (a campaign's entries, opened in SQL) may have no history yet.
        for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
            if len(shown) == limit:
                break
            changed = []
            if newer.history_type == "~" and older is not None:
                delta = newer.diff_against(older, excluded_fields=[f.name for f in m2m_fields])
                for change in delta.changes:
                    if change.field in HIDDEN_FIELDS or change.field in state_fields:
                        continue
                    changed.append((obj._meta.get_field(change.field), change.old, change.new))
                for m2m_field in m2m_fields:
                    before = snapshots[m2m_field.name].get(older.pk, [])
                    after = snapshots[m2m_field.name].get(newer.pk, [])
                    if before != after:
                        changed.append((m2m_field, before, after))
                # A save that changed nothing a reader may see (a sign-in's last_login, a
                # transition shown below by its log, a save of the same values) is no entry:
                # "changed" and nothing under it told nothing (issue 10).
                if not changed and not newer.history_change_reason:
                    continue
            shown.append((newer, changed))
        names = _related_names(
            (model_field, value)
            for _record, changed in shown
            for model_field, old, new in changed
            for value in (old, new)
        )
        for record, changed in shown:
            entries.append(
                TimelineEntry(
                    when=record.history_date,
                    who=_who(record.history_user),
                    what=str(_HISTORY_TYPES.get(record.history_type, record.history_type)),
                    changes=[
                        (
                            str(model_field.verbose_name),
                            _display(model_field, old, names),
                            _display(model_field, new, names),
                        )
                        for model_field, old, new in changed
                    ],
                    comment=reason_text(record.history_change_reason),
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


def _m2m_snapshots(m2m_fields, records) -> dict[str, dict[int, list]]:
    """Per many-to-many field, the related primary keys each history record holds (sorted),
    one query per field for the page."""
    snapshots: dict[str, dict[int, list]] = {}
    for m2m_field in m2m_fields:
        rows = HistoricalRecords.m2m_models[m2m_field]._default_manager.filter(
            history__in=[record.pk for record in records]
        )
        target = m2m_field.m2m_reverse_field_name()
        by_record: dict[int, list] = {}
        for history_id, pk in rows.values_list("history_id", target).order_by(target):
            by_record.setdefault(history_id, []).append(pk)
        snapshots[m2m_field.name] = by_record
    return snapshots


def _related_pks(model_field, value) -> list:
    """The primary keys a value of a relation holds: one for a foreign key, the related side
    of each through row for a many-to-many change."""
    if value is None or value == "" or not model_field.is_relation:
        return []
    if isinstance(value, list):
        key = model_field.related_model._meta.model_name
        return [row.get(key) if isinstance(row, dict) else row for row in value]
    return [value]


def _related_names(values) -> dict[type, dict]:
    """The related objects of every relation value of a page of history, read with one query
    per related model, not one per entry."""
    wanted: dict[type, set] = {}
    for model_field, value in values:
        pks = _related_pks(model_field, value)
        if pks:
            wanted.setdefault(model_field.related_model, set()).update(pks)
    found = {}
    for related, pks in wanted.items():
        if related is get_user_model():
            # An account reads as its person's name or its (masked) username (P-04).
            queryset = related._default_manager.select_related("person")
        else:
            # Names made of related objects (a qualification: person · lab) come in the query.
            forward = [
                f.name
                for f in related._meta.concrete_fields
                if f.is_relation and (f.many_to_one or f.one_to_one)
            ]
            queryset = related._default_manager.select_related(*forward)
        found[related] = queryset.in_bulk(pks)
    return found


def _name(obj) -> str:
    display_name = getattr(obj, "display_name", None)  # an account (P-04)
    return display_name if isinstance(display_name, str) else str(obj)


def _display(model_field, value, names: dict | None = None) -> str:
    if value is None or value == "":
        return "—"
    if model_field.name in MASKED_FIELDS:
        return MASKED_FIELDS[model_field.name](str(value))
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        if names is None:
            names = _related_names([(model_field, value)])
        objects = names.get(model_field.related_model, {})
        shown = [
            _name(objects[pk]) if pk in objects else str(_("(removed)"))
            for pk in _related_pks(model_field, value)
        ]
        return ", ".join(shown) or "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)
