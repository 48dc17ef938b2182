"""The smart-city dimension becomes a category of a classification scheme (issue 26).

Renames only, so every program keeps its links: the model (and its link
column in the programs' link table), the programs' link field and the
history's link snapshots. The scheme and the new fields follow in 0010.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programs", "0008_pending_evidence")]

    operations = [
        migrations.RenameModel("Dimension", "Category"),
        migrations.RenameField("Program", "dimensions", "categories"),
        migrations.RenameModel("HistoricalProgram_dimensions", "HistoricalProgram_categories"),
        migrations.RenameField("HistoricalProgram_categories", "dimension", "category"),
    ]
