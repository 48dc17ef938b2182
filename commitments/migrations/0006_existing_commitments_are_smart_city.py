"""Every existing commitment is a Smart City commitment (issue 26): it gets the theme
"Smart City" and the shared Gerakan Menuju 100 Smart City scheme (programs 0011), whose
categories are the six dimensions its programs already carry. Reversible."""

from django.db import migrations

SMART_CITY = "Gerakan Menuju 100 Smart City"


def assign(apps, schema_editor):
    scheme_model = apps.get_model("programs", "ClassificationScheme")
    commitment_model = apps.get_model("commitments", "Commitment")
    historical = apps.get_model("commitments", "HistoricalCommitment")
    if not commitment_model.objects.exists():
        return
    scheme = scheme_model.objects.get(government=None, name=SMART_CITY)
    # Plain column writes on purpose: the commitments' histories are rewritten the same
    # way below, so their rows read as if the commitments always had them.
    commitment_model.objects.update(theme="Smart City", scheme=scheme)
    historical.objects.update(theme="Smart City", scheme=scheme)


def unassign(apps, schema_editor):
    apps.get_model("commitments", "Commitment").objects.update(theme="", scheme=None)
    apps.get_model("commitments", "HistoricalCommitment").objects.update(theme="", scheme=None)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0005_commitment_theme_and_scheme"),
        ("programs", "0012_category_scheme_required"),
    ]
    operations = [migrations.RunPython(assign, unassign)]
