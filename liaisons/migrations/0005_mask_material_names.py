"""Mask the ID numbers that uploaded file names carried into the material table and its
history before names were masked on upload (P-04, issue 9)."""

from django.db import migrations

# The function is pure (a name in, the masked name out); importing it keeps one definition of
# what is masked. Should it ever change, this migration has already run everywhere.
from liaisons.uploads import material_display_name

BATCH = 500


def _mask(model) -> None:
    rows = model.objects.filter(original_name__regex=r"[0-9０-９]").only("pk", "original_name")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        masked = material_display_name(row.original_name)
        if masked != row.original_name:
            row.original_name = masked
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, ["original_name"])
            changed = []
    if changed:
        model.objects.bulk_update(changed, ["original_name"])


def mask_original_names(apps, schema_editor):
    _mask(apps.get_model("liaisons", "ApplicationMaterial"))
    _mask(apps.get_model("liaisons", "HistoricalApplicationMaterial"))


class Migration(migrations.Migration):
    dependencies = [("liaisons", "0004_applicant_as_stated")]

    operations = [migrations.RunPython(mask_original_names, migrations.RunPython.noop)]
