"""How long a replaced material's file is kept (L-02; issue 9).

Replacing a material stores the new file under a new name; the old one stays, because the
material's history names it and a reviewer may still compare the two while the application
is open. It is kept:

- as long as its application is open (draft, submitted, with the branch, returned, passed);
- and for ``REPLACED_MATERIAL_RETENTION`` after it was replaced, a year: the time in which a
  decision is looked at again (the annual evaluation, L-10; complaints about a hire).

After that only the history row keeps its name, and the file is deleted. So is a file in the
materials folder that no row names at all (an upload whose transaction failed), a day after
it was written. Run daily by beat (``liaisons.tasks.purge_replaced_materials``) or by hand
(``manage.py purge_replaced_materials``).
"""

import datetime
import logging

from django.core.files.storage import default_storage
from django.utils import timezone

from ..constants import OPEN_STATE_VALUES
from ..models import ApplicationMaterial, LiaisonApplication

log = logging.getLogger(__name__)

#: How long a replaced material's file outlives its replacement (docs/decisions.md).
REPLACED_MATERIAL_RETENTION = datetime.timedelta(days=365)
#: A file that no row names is an upload whose transaction failed, once this old.
ORPHAN_GRACE = datetime.timedelta(days=1)
MATERIALS_FOLDER = "liaisons/materials"


def _replaced_files() -> dict[str, tuple[int, datetime.datetime]]:
    """Every file a material's history names that is no longer its current file: the name,
    with its application and when it was replaced (or its material deleted)."""
    replaced: dict[str, tuple[int, datetime.datetime]] = {}
    previous = None
    records = (
        ApplicationMaterial.history.order_by("id", "history_date", "history_id")
        .values_list("id", "application_id", "file", "history_date", "history_type")
        .iterator(chunk_size=2000)
    )
    for material_id, application_id, name, at, kind in records:
        if previous and previous[0] == material_id and previous[2] and previous[2] != name:
            replaced.setdefault(previous[2], (previous[1], at))
        if kind == "-" and name:
            replaced.setdefault(name, (application_id, at))
        previous = (material_id, application_id, name)
    return replaced


def _stored_names() -> list[str]:
    try:
        folders, files = default_storage.listdir(MATERIALS_FOLDER)
    except FileNotFoundError:
        return []
    names = [f"{MATERIALS_FOLDER}/{name}" for name in files]
    for folder in folders:
        names += [
            f"{MATERIALS_FOLDER}/{folder}/{name}"
            for name in default_storage.listdir(f"{MATERIALS_FOLDER}/{folder}")[1]
        ]
    return names


def replaced_materials_purge(*, now: datetime.datetime | None = None) -> list[str]:
    """Delete the files of replaced materials the history no longer needs; returns their
    names. Running it again deletes nothing more (idempotent)."""
    now = now or timezone.now()
    current = set(ApplicationMaterial.objects.values_list("file", flat=True))
    replaced = _replaced_files()
    open_applications = set(
        LiaisonApplication.objects.filter(state__in=OPEN_STATE_VALUES).values_list("pk", flat=True)
    )
    doomed = [
        name
        for name, (application_id, replaced_at) in replaced.items()
        if name not in current
        and application_id not in open_applications
        and replaced_at < now - REPLACED_MATERIAL_RETENTION
    ]
    named = current | set(ApplicationMaterial.history.values_list("file", flat=True))
    for name in _stored_names():
        if name not in named and default_storage.get_modified_time(name) < now - ORPHAN_GRACE:
            doomed.append(name)
    deleted = []
    for name in doomed:
        if default_storage.exists(name):
            default_storage.delete(name)
            deleted.append(name)
    if deleted:
        log.info("deleted %d replaced or orphaned material files", len(deleted))
    return deleted
