"""Mark reports provisional: issued while their quarter was still open.

Existing reports are decided from their period's history: provisional if the
period was not locked at the moment the report was generated. A period without
a history row from before that moment is judged by its state now (a report of a
period that is still open is provisional either way).
"""

from django.db import migrations, models


def mark_existing(apps, schema_editor):
    GeneratedReport = apps.get_model("reports", "GeneratedReport")
    ReportingPeriod = apps.get_model("programs", "ReportingPeriod")
    HistoricalReportingPeriod = apps.get_model("programs", "HistoricalReportingPeriod")
    periods = {
        (p.government_id, p.year, p.quarter): p
        for p in ReportingPeriod.objects.all().only(
            "id", "government_id", "year", "quarter", "state"
        )
    }
    provisional = []
    for report in GeneratedReport.objects.all().only(
        "id", "government_id", "year", "quarter", "generated_at"
    ):
        period = periods.get((report.government_id, report.year, report.quarter))
        if period is None:
            continue
        then = (
            HistoricalReportingPeriod.objects.filter(
                id=period.id, history_date__lte=report.generated_at
            )
            .order_by("-history_date", "-history_id")
            .values_list("state", flat=True)
            .first()
        )
        if (then or period.state) != "locked":
            provisional.append(report.id)
    GeneratedReport.objects.filter(id__in=provisional).update(is_provisional=True)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="generatedreport",
            name="is_provisional",
            field=models.BooleanField(
                default=False,
                help_text="Issued while its quarter was still open: not the final report.",
                verbose_name="provisional",
            ),
        ),
        migrations.AddField(
            model_name="historicalgeneratedreport",
            name="is_provisional",
            field=models.BooleanField(
                default=False,
                help_text="Issued while its quarter was still open: not the final report.",
                verbose_name="provisional",
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]
