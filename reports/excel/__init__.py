"""The evaluation table as an Excel workbook (openpyxl).

One sheet carries exactly the table the PDF prints (``reports.pdf.evaluation``),
in the Permendagri 86/2017 shape: the form's seventeen numbered columns, where
each of the eleven figure columns (5-15) is a pair of sheet columns, K
(performance) and Rp (budget)::

    A No   B Sasaran   C Kode   D Program / indikator
    E-Z   columns 5-15, K then Rp (E/F is column 5, U/V column 13 ...)
    AA    Perangkat Daerah penanggung jawab (16)   AB  Keterangan (17)

Per unit: a title row, then each program as a block of rows, one per RPJMD
indicator it reports. No, Kode, the Rp figures and the unit are merged down
the block, so a program's Rp stands on the same row as its first indicator's
K. The block closes with the average and predicate rows (K and Rp, under
column 13) and the four text rows (faktor pendorong, faktor penghambat, both
tindak lanjut). A whole-government workbook ends with the RPJMD indicators
evaluated as a whole.

Figures are real numeric cells with Indonesian number formats: K with the
indicator's own decimal places, Rp whole rupiah, achievements as percentages.
"–" marks nothing verified, "†" (on yellow) a report that is not verified
yet, and quarters after the report's stay empty. The sheet prints landscape,
fitted to the page width, with the three header rows repeated on every page.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from reports.excel.styles import named_styles
from reports.excel.writer import Writer
from tracker.formatting import format_quarter


def render(request, table):
    """The workbook's bytes for ``request`` and its evaluation ``table``."""
    workbook = Workbook()
    for style in named_styles():
        workbook.add_named_style(style)
    sheet = workbook.active
    sheet.title = _("Evaluation Q %(quarter)s %(year)s") % {
        "quarter": format_quarter(table.quarter),
        "year": table.year,
    }
    workbook.properties.title = sheet.title
    workbook.properties.creator = str(request.government)
    writer = Writer(sheet, table)
    writer.title(request)
    writer.header()
    if not table.sections:
        writer.sentence(_("No program of this report has started by this quarter."))
    for unit_section in table.sections:
        writer.unit(unit_section)
    if table.indicators:
        writer.indicators()
    writer.finish()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
