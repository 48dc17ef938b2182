"""Charts drawn on the server with reportlab.graphics.

Each function takes plain figures and returns a ``Drawing``; the dashboard
sends it as SVG (``as_svg``) and the PDF report can place the same drawing.
"""

import functools

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from programs import status

STATUS_COLOURS = {
    "on_track": colors.HexColor("#198754"),
    "at_risk": colors.HexColor("#ffc107"),
    "late": colors.HexColor("#dc3545"),
    "done": colors.HexColor("#0d6efd"),
    "not_started": colors.HexColor("#adb5bd"),
}
COMPLIANCE_COLOURS = {
    "on_time": colors.HexColor("#198754"),
    "sent_late": colors.HexColor("#fd7e14"),
    "missing": colors.HexColor("#dc3545"),
}


def stacked_bars(
    title,
    categories,
    series,
    colours,
    labels,
    width=460,
    font="Helvetica",
    bold_font=None,
    font_size=8,
):
    """Horizontal stacked bars: one bar per category, one segment per series key.

    ``series`` maps a key to a list of values (one per category); ``labels``
    maps a key to its legend text. ``font`` and ``bold_font`` name registered
    fonts (the PDF report passes its embedded family); ``font_size`` is the
    labels' size in the drawing's units (the title is 3 points larger).
    """
    bold_font = bold_font or ("Helvetica-Bold" if font == "Helvetica" else font)
    keys = [key for key in colours if key in series]
    scale = font_size / 8  # the layout below was drawn for 8-point labels
    bar_height = 18 * scale
    legend_rows = 2
    legend_height = (14 * legend_rows + 10) * scale
    height = 50 * scale + legend_height + bar_height * max(len(categories), 1) * 1.6
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14 * scale, title, fontName=bold_font, fontSize=font_size + 3))
    # A narrow drawing (the web page's) keeps shorter category names and starts
    # its legend at the left edge, in three columns across the whole width.
    narrow = width < 400
    label_chars = 18 if narrow else 24
    chart = HorizontalBarChart()
    chart.x = 120 if narrow else 130
    chart.y = legend_height + 20
    chart.width = width - chart.x - 10
    chart.height = height - chart.y - 30
    chart.data = [series[key] or [0] for key in keys] or [[0]]
    chart.categoryAxis.categoryNames = [str(c)[:label_chars] for c in categories] or [""]
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = font_size
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.forceZero = True
    chart.barSpacing = 2
    for index, key in enumerate(keys):
        chart.bars[index].fillColor = colours[key]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x = 0 if narrow else chart.x
    legend.y = legend_height
    legend.columnMaximum = legend_rows
    legend.deltax = (width - 10) / 3 if narrow else 105
    legend.fontSize = font_size
    legend.fontName = font
    legend.alignment = "right"
    legend.colorNamePairs = [(colours[key], str(labels[key])) for key in keys]
    legend.dx = legend.dy = 8 * scale
    drawing.add(legend)
    return drawing


COMPLIANCE_LABELS = {
    "on_time": gettext_lazy("On time"),
    "sent_late": gettext_lazy("Sent late"),
    "missing": gettext_lazy("Missing"),
}


def status_by_dimension(by_dimension, **fonts):
    """Program status per smart-city dimension, from ``monitoring_summary``'s tallies."""
    return stacked_bars(
        _("Program status by dimension"),
        [str(d) for d, _t in by_dimension],
        {key: [t[key] for _d, t in by_dimension] for key in STATUS_COLOURS},
        STATUS_COLOURS,
        status.LABELS,
        **fonts,
    )


def compliance_by_asda(by_asda, **fonts):
    """Report submission (on time / late / missing) per Asda group."""
    return stacked_bars(
        _("Report submission by Asda group"),
        [str(a or _("No Asda")) for a, _t in by_asda],
        {key: [t[key] for _a, t in by_asda] for key in COMPLIANCE_COLOURS},
        COMPLIANCE_COLOURS,
        COMPLIANCE_LABELS,
        **fonts,
    )


# The web page draws its charts as wide as a phone's column (390 px screen) with
# 11-point labels: the SVG never shrinks there, so the labels stay readable,
# and on a wide screen it grows (see static/css/dashboard.css).
WEB_CHART = {"width": 340, "font_size": 11}


def dashboard_svgs(by_dimension, by_asda):
    """The dashboard's two charts as SVG strings.

    Drawing SVG costs tens of milliseconds, and most requests see the same
    figures, so the result is remembered per (figures, language): a change
    in any figure makes a new key, so a stale chart is never shown.
    """
    dimension_rows = tuple(
        (str(d), tuple(t[key] for key in STATUS_COLOURS)) for d, t in by_dimension
    )
    asda_rows = tuple(
        (str(a or _("No Asda")), tuple(t[key] for key in COMPLIANCE_COLOURS)) for a, t in by_asda
    )
    return _svgs(dimension_rows, asda_rows, translation.get_language())


@functools.lru_cache(maxsize=256)
def _svgs(dimension_rows, asda_rows, _language):
    def tallies(rows, keys):
        return [(label, dict(zip(keys, values, strict=True))) for label, values in rows]

    return (
        as_svg(status_by_dimension(tallies(dimension_rows, list(STATUS_COLOURS)), **WEB_CHART)),
        as_svg(compliance_by_asda(tallies(asda_rows, list(COMPLIANCE_COLOURS)), **WEB_CHART)),
    )


# Browsers know no font named "Helvetica-Bold" (a PDF name) and fall back to a
# serif face: name a family with fallbacks and the weight instead.
WEB_FONTS = {
    "font-family: Helvetica-Bold;": "font-family: Helvetica, Arial, sans-serif; font-weight: bold;",
    "font-family: Helvetica;": "font-family: Helvetica, Arial, sans-serif;",
}


def as_svg(drawing):
    """The drawing as an inline SVG string."""
    text = renderSVG.drawToString(drawing)
    for pdf_font, web_font in WEB_FONTS.items():
        text = text.replace(pdf_font, web_font)
    # Drop the XML prolog and doctype so the SVG can sit inside HTML.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
