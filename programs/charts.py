"""Charts drawn on the server with reportlab.graphics.

Each function takes plain figures and returns a ``Drawing``; the dashboard
sends it as SVG (``as_svg``) and the PDF report can place the same drawing.
"""

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

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


def stacked_bars(title, categories, series, colours, labels, width=460):
    """Horizontal stacked bars: one bar per category, one segment per series key.

    ``series`` maps a key to a list of values (one per category); ``labels``
    maps a key to its legend text.
    """
    keys = [key for key in colours if key in series]
    bar_height = 18
    legend_rows = 2
    legend_height = 14 * legend_rows + 10
    height = 50 + legend_height + bar_height * max(len(categories), 1) * 1.6
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14, title, fontName="Helvetica-Bold", fontSize=11))
    chart = HorizontalBarChart()
    chart.x = 130
    chart.y = legend_height + 20
    chart.width = width - chart.x - 10
    chart.height = height - chart.y - 30
    chart.data = [series[key] or [0] for key in keys] or [[0]]
    chart.categoryAxis.categoryNames = [str(c)[:24] for c in categories] or [""]
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.forceZero = True
    chart.barSpacing = 2
    for index, key in enumerate(keys):
        chart.bars[index].fillColor = colours[key]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x = chart.x
    legend.y = legend_height
    legend.columnMaximum = legend_rows
    legend.deltax = 105
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(colours[key], str(labels[key])) for key in keys]
    legend.dx = legend.dy = 8
    drawing.add(legend)
    return drawing


def as_svg(drawing):
    """The drawing as an inline SVG string."""
    text = renderSVG.drawToString(drawing)
    # Drop the XML prolog and doctype so the SVG can sit inside HTML.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
