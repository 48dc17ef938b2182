"""The six smart-city dimensions are fixed reference rows (Gerakan Menuju 100 Smart City)."""

from django.db import migrations

CODES = ["governance", "branding", "economy", "living", "society", "environment"]


def create(apps, schema_editor):
    Dimension = apps.get_model("programs", "Dimension")
    for code in CODES:
        Dimension.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
