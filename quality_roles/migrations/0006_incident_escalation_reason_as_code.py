"""The escalation's history reason becomes a code the timeline reads in each reader's language
(Q-07, issue 13).

The hourly job stored its sentence translated in the job's language (Chinese, the default;
English where a worker ran under it), and the English page showed it in Chinese. The
sentences are spelled out here, not read from the translations: a migration keeps what was
stored then, whatever the catalogue says later.
"""

from django.db import migrations

CODE = "q07-escalated"
#: What the job stored, in each language it could run under.
STORED = (
    "Q-07：获知后 24 小时内未向监管部门报告，已升级。",
    "Q-07: not reported to the regulator within 24 hours of learning of it: escalated.",
)


def escalation_reasons_to_code(apps, schema_editor) -> int:
    """Replace the stored sentences by the code; returns how many records it changed."""
    history = apps.get_model("quality_roles", "HistoricalIncidentReport")
    return history.objects.filter(history_change_reason__in=STORED).update(
        history_change_reason=CODE
    )


def escalation_code_to_reason(apps, schema_editor) -> int:
    """Back to the sentence as the code before this migration stored it (in Chinese)."""
    history = apps.get_model("quality_roles", "HistoricalIncidentReport")
    return history.objects.filter(history_change_reason=CODE).update(
        history_change_reason=STORED[0]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quality_roles", "0005_cooperation_resumption"),
    ]

    operations = [
        migrations.RunPython(escalation_reasons_to_code, escalation_code_to_reason, elidable=True),
    ]
