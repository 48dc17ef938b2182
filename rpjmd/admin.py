"""The programs' own targets in the (superuser-only) admin: read only, with history.

They change through the program's target page and the targets workbook
(``rpjmd.program_targets``), never here.
"""

from django.contrib import admin

from rpjmd.models import ProgramTarget
from tracker.admin_base import HistoryAdmin


@admin.register(ProgramTarget)
class ProgramTargetAdmin(HistoryAdmin):
    list_display = ["program", "indicator", "year", "target", "source"]
    list_filter = ["year", "source"]
    list_select_related = ["program", "indicator"]
