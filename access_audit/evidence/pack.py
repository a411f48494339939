"""The evidence pack of an enforcement run: its report, its spreadsheets and a manifest of
their SHA-256 digests, stored with the run so an auditor can prove later that nothing was
changed (A-04, A-06).

Built a file at a time, each in its own transaction holding the run's row, after a look at
what is stored already: a rebuild makes nothing twice, and a build killed half-way is
completed by the next one (a file it had saved but not recorded is written again over it).
The manifest comes last, in ``sha256sum`` format (``sha256sum -c`` checks a downloaded pack),
and its own digest is the run's ``manifest_sha256``.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.db import transaction
from django.utils import translation

from ..constants import RunState
from ..models import EnforcementRun, EvidenceFile
from . import files
from . import rows as run_rows
from .report import report_pdf

log = logging.getLogger(__name__)


def pack_names(run: EnforcementRun) -> dict[str, str]:
    """The pack's file names, by part: the manifest lists them in this order."""
    stem = f"enforcement-{run.pk}"
    return {
        "csv": f"{stem}-revocations.csv",
        "xlsx": f"{stem}-revocations.xlsx",
        "report": f"{stem}-report.pdf",
        "manifest": f"{stem}-manifest.sha256",
    }


def evidence_runs():
    """The runs that have an evidence pack to build: done, not a dry run."""
    return EnforcementRun.objects.filter(state=RunState.DONE, dry_run=False)


def _spreadsheet(run: EnforcementRun, fmt: str) -> IO[bytes]:
    # The operators' list is in the portal's language (Chinese), like the report.
    with translation.override("zh-hans"):
        headers = run_rows.headers()
        body = run_rows.rows(run_rows.run_withdrawals(run))
        if fmt == "csv":
            return files.write_csv(headers, body)
        return files.write_xlsx(headers, body, title=f"run {run.pk}")


def manifest_text(entries: list[tuple[str, str]]) -> str:
    """``sha256sum`` lines (``<digest>  <name>``) of ``(name, digest)``, in the given order."""
    return "".join(f"{digest}  {name}\n" for name, digest in entries)


def parse_manifest(text: str) -> dict[str, str]:
    """``{name: digest}`` of a manifest; lines that are not ``<64 hex>  <name>`` are skipped."""
    found = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if sep and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            found[name] = digest
    return found


def _store(run: EnforcementRun, name: str, make: Callable[[], IO[bytes]]) -> EvidenceFile | None:
    """Make and store one file of the pack unless it is stored already (checked under the
    run's lock, so two builds at once store it once)."""
    with transaction.atomic():
        EnforcementRun.objects.select_for_update().get(pk=run.pk)
        if EvidenceFile.objects.filter(run=run, name=name).exists():
            return None
        content = make()
        try:
            sha256, size = files.digest(content)
            evidence = EvidenceFile(run=run, name=name, sha256=sha256, size=size)
            field = evidence.file
            path = field.field.generate_filename(evidence, name)
            if field.storage.exists(path):
                # Saved by a build killed before it recorded the file: no row names it.
                field.storage.delete(path)
            field.save(name, File(content, name=name), save=False)
            evidence.save()
        finally:
            content.close()
        return evidence


def _bytes(data: bytes) -> IO[bytes]:
    out = files.temporary()
    out.write(data)
    out.seek(0)
    return out


def evidence_pack_build(*, run_id: int) -> list[EvidenceFile]:
    """Build what is missing of the run's evidence pack; returns the files stored now (none
    when the pack is complete, or the run is not a done real run)."""
    run = evidence_runs().select_related("campaign").filter(pk=run_id).first()
    if run is None:
        return []
    names = pack_names(run)
    stored = []
    for part in ("csv", "xlsx"):
        stored.append(_store(run, names[part], lambda part=part: _spreadsheet(run, part)))
    sheets = [names["csv"], names["xlsx"]]
    stored.append(
        _store(run, names["report"], lambda: _bytes(report_pdf(run, spreadsheet_names=sheets)))
    )
    stored.append(_store_manifest(run, names))
    made = [evidence for evidence in stored if evidence is not None]
    if made:
        log.info("evidence pack of run %s: stored %s", run.pk, [e.name for e in made])
    return made


def _store_manifest(run: EnforcementRun, names: dict[str, str]) -> EvidenceFile | None:
    listed = [names[part] for part in ("csv", "xlsx", "report")]

    def make() -> IO[bytes]:
        digests = dict(
            EvidenceFile.objects.filter(run=run, name__in=listed).values_list("name", "sha256")
        )
        return _bytes(manifest_text([(name, digests[name]) for name in listed]).encode())

    evidence = _store(run, names["manifest"], make)
    manifest = EvidenceFile.objects.filter(run=run, name=names["manifest"]).first()
    if manifest is not None and not run.manifest_sha256:
        EnforcementRun.objects.filter(pk=run.pk, manifest_sha256="").update(
            manifest_sha256=manifest.sha256
        )
        run.manifest_sha256 = manifest.sha256
    return evidence


# --- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    name: str
    recorded: str  # the digest its row holds
    listed: str  # the digest the manifest lists ("" for the manifest itself, or unlisted)
    actual: str  # the digest of the stored bytes now ("" when the file cannot be read)

    @property
    def intact(self) -> bool:
        return (
            bool(self.actual) and self.actual == self.recorded and self.listed in ("", self.actual)
        )


@dataclass(frozen=True)
class PackCheck:
    """What a verification found: each file, and whether the manifest is the run's."""

    run: EnforcementRun
    files: list[FileCheck]
    manifest_matches_run: bool
    #: Names the manifest lists that no stored file has, and stored files it does not list.
    unlisted: list[str]
    missing: list[str]

    @property
    def intact(self) -> bool:
        return (
            bool(self.files)
            and self.manifest_matches_run
            and not self.unlisted
            and not self.missing
            and all(check.intact for check in self.files)
        )


def _actual(evidence: EvidenceFile) -> tuple[str, bytes | None]:
    """The stored file's digest now, and its bytes if it is the manifest."""
    try:
        with evidence.file.open("rb") as handle:
            if evidence.name.endswith(".sha256"):
                data = handle.read()
                return hashlib.sha256(data).hexdigest(), data
            return files.digest(handle)[0], None
    except (OSError, ValueError):
        return "", None


def evidence_pack_check(run: EnforcementRun) -> PackCheck:
    """Recompute every stored file's SHA-256 and hold it against its row, against the
    manifest, and the manifest's against the run's ``manifest_sha256``."""
    names = pack_names(run)
    # As recorded now, not as the caller's copy of the run says.
    recorded = EnforcementRun.objects.filter(pk=run.pk).values_list("manifest_sha256", flat=True)
    run_manifest = recorded.first() or ""
    evidences = list(EvidenceFile.objects.filter(run=run).order_by("name"))
    actual = {evidence.name: _actual(evidence) for evidence in evidences}
    manifest_bytes = actual.get(names["manifest"], ("", None))[1]
    listed = parse_manifest(manifest_bytes.decode("utf-8", "replace")) if manifest_bytes else {}
    manifest_digest = actual.get(names["manifest"], ("", None))[0]
    checks = [
        FileCheck(
            name=evidence.name,
            recorded=evidence.sha256,
            listed="" if evidence.name == names["manifest"] else listed.get(evidence.name, "-"),
            actual=actual[evidence.name][0],
        )
        for evidence in evidences
    ]
    stored = {evidence.name for evidence in evidences}
    return PackCheck(
        run=run,
        files=checks,
        manifest_matches_run=bool(run_manifest) and manifest_digest == run_manifest,
        unlisted=sorted(stored - set(listed) - {names["manifest"]}),
        missing=sorted(set(listed) - stored),
    )
