"""The ten CQC certification fields, in the seed's order."""

from django.db import migrations

CODES = [
    "CCC", "CQC_MARK", "MARK_ENERGY_WATER", "MARK_QUALITY_ENV", "CB", "CE", "ROHS", "PSE",
    "GAP", "ORGANIC",
]


def create_fields(apps, schema_editor):
    CertificationField = apps.get_model("directory", "CertificationField")
    for position, code in enumerate(CODES, start=1):
        CertificationField.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
