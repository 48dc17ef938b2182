"""Charts drawn on the server with reportlab.graphics.

Each function takes plain figures and returns a ``Drawing``; the dashboard
sends it as SVG (``as_svg``) and the PDF report can place the same drawing.
"""

import functools
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from programs import status
from tracker.formatting import format_number_id, format_quarter

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


def _shortened(label, limit):
    """``label`` cut to ``limit`` characters, an ellipsis saying it was cut (the table
    beside the chart, or the page it links to, gives the whole name)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


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
    chart.categoryAxis.categoryNames = [_shortened(str(c), label_chars) for c in categories] or [""]
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


def status_by_category(scheme_name, by_category, *, titled=True, **fonts):
    """Program status per category of one classification scheme, from the tallies of
    ``monitoring_summary``'s ``by_scheme``. ``titled=False``: no title in the drawing
    (the web page writes it above, where a long scheme name wraps)."""
    return stacked_bars(
        _("Status by category: %(scheme)s") % {"scheme": scheme_name} if titled else "",
        [str(c) for c, _t in by_category],
        {key: [t[key] for _c, t in by_category] for key in STATUS_COLOURS},
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


def dashboard_svgs(by_scheme, by_asda):
    """The dashboard's charts as SVG strings: a list of (scheme, status chart), one per
    classification scheme, and the submission chart.

    Drawing SVG costs tens of milliseconds, and most requests see the same
    figures, so the result is remembered per (figures, language): a change
    in any figure makes a new key, so a stale chart is never shown.
    """
    scheme_rows = tuple(
        (scheme.name, tuple((str(c), tuple(t[key] for key in STATUS_COLOURS)) for c, t in rows))
        for scheme, rows in by_scheme
    )
    asda_rows = tuple(
        (str(a or _("No Asda")), tuple(t[key] for key in COMPLIANCE_COLOURS)) for a, t in by_asda
    )
    status_svgs, compliance_svg = _svgs(scheme_rows, asda_rows, translation.get_language())
    return [(scheme, svg) for (scheme, _rows), svg in zip(by_scheme, status_svgs, strict=True)], (
        compliance_svg
    )


@functools.lru_cache(maxsize=256)
def _svgs(scheme_rows, asda_rows, _language):
    def tallies(rows, keys):
        return [(label, dict(zip(keys, values, strict=True))) for label, values in rows]

    status_keys = list(STATUS_COLOURS)
    return (
        tuple(
            as_svg(status_by_category(name, tallies(rows, status_keys), titled=False, **WEB_CHART))
            for name, rows in scheme_rows
        ),
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


# --- Trends: verified figures by quarter against the targets ------------------------------
#
# Drawn by templates/programs/includes/trend_chart.html from the plain numbers
# below, not by reportlab: the SVG's horizontal positions are percentages of its
# width, so it fills any column (a 390 px phone or a 1366 px screen) while its
# text keeps its size in pixels; its height is fixed. No style= attribute: the
# colours are SVG presentation attributes, the page's layout is in trends.css.

# The report's palette: verified figures in the blue of "done" (STATUS_COLOURS),
# the target in the dark of the printed text, the year bands in the PDF's header
# fill and the grid in its grid grey (reports/pdf/common.py).
TREND_COLOURS = {
    "verified": "#0d6efd",
    "target": "#212529",
    "band": "#dfe6ee",
    "grid": "#8c8c8c",
}
TREND_PLOT_TOP = 12
TREND_PLOT_HEIGHT = 170
TREND_PLOT_BOTTOM = TREND_PLOT_TOP + TREND_PLOT_HEIGHT
TREND_HEIGHT = TREND_PLOT_BOTTOM + 42
# Up to this many quarters each is labelled "TW I"; beyond, the Roman numeral alone;
# beyond DENSE_QUARTERS the numerals are hidden on a phone (trends.css), the years stay.
SHORT_LABELS_FROM = 9
DENSE_QUARTERS = 12
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def _nice_step(span, parts=4):
    """A round step (1, 2, 2.5 or 5 times a power of ten) cutting ``span`` in about ``parts``."""
    raw = Decimal(span) / parts
    power = Decimal(10) ** math.floor(math.log10(raw))
    return next(step * power for step in NICE_STEPS if step * power >= raw)


def _pct(value):
    return f"{value:.3f}%"


def trend_scale(values, *, percent=False):
    """``(low, high, step)`` of the value axis: 0-100 by 25 for a percentage of
    progress; else from 0 (or below it for a negative figure) to a round number
    above every value."""
    if percent:
        return Decimal(0), Decimal(100), Decimal(25)
    values = [Decimal(v) for v in values if v is not None]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    return low, high, step


def trend_layout(quarters, *, percent=False, step_target=True):
    """Where each part of a trend chart goes, from a list of ``trends.TrendQuarter``.

    A bar per quarter with a verified figure (its ``to_date``), the target as a
    step per year (``step_target``) or as a line through the quarters' ends, a
    shaded band under every other year, the value axis's ticks. Horizontal
    positions are percentages of the plot's width (strings ready for SVG),
    vertical ones pixels.
    """
    count = max(len(quarters), 1)
    slot = 100 / count
    low, high, step = trend_scale(
        [q.to_date for q in quarters] + [q.target for q in quarters], percent=percent
    )
    span = float(high - low)

    def y_of(value):
        return round(TREND_PLOT_BOTTOM - float(Decimal(value) - low) / span * TREND_PLOT_HEIGHT, 2)

    zero = y_of(0)
    slots, bars, points, years = [], [], [], []
    for index, quarter in enumerate(quarters):
        centre = slot * (index + 0.5)
        slots.append(
            {"x": _pct(centre), "quarter": quarter, "roman": format_quarter(quarter.quarter)}
        )
        if quarter.to_date is not None:
            top = y_of(quarter.to_date)
            bars.append(
                {
                    "x": _pct(slot * (index + 0.2)),
                    "width": _pct(slot * 0.6),
                    "y": min(top, zero),
                    # A zero figure still shows as a hairline, so it reads as reported.
                    "height": max(abs(zero - top), 1),
                    "quarter": quarter,
                }
            )
        if quarter.target is not None:
            points.append((index, quarter.year, y_of(quarter.target)))
        if not years or years[-1]["year"] != quarter.year:
            years.append({"year": quarter.year, "first": index, "count": 0})
        years[-1]["count"] += 1
    for number, year in enumerate(years):
        year.update(
            x=_pct(slot * year["first"]),
            width=_pct(slot * year["count"]),
            centre=_pct(slot * (year["first"] + year["count"] / 2)),
            shaded=number % 2 == 1,
        )
    lines = _step_lines(points, slot) if step_target else _joined_lines(points, slot)
    ticks = []
    value = low
    while value <= high:
        y = y_of(value)
        ticks.append({"y": y, "label_y": y + 4, "value": value})
        value += step
    places = 0 if step == step.to_integral_value() and low == low.to_integral_value() else 2
    widest = max(len(format_number_id(t["value"], places)) for t in ticks)
    return {
        "height": TREND_HEIGHT,
        "plot_top": TREND_PLOT_TOP,
        "plot_bottom": TREND_PLOT_BOTTOM,
        "plot_height": TREND_PLOT_HEIGHT,
        "quarter_label_y": TREND_PLOT_BOTTOM + 16,
        "year_label_y": TREND_PLOT_BOTTOM + 34,
        "zero_y": zero,
        "ticks": ticks,
        "tick_places": places,
        "axis_width": widest * 7 + 10,
        "axis_text_x": widest * 7 + 5,
        "slots": slots,
        "bars": bars,
        "years": years,
        "target_lines": lines,
        "target_points": []
        if step_target
        else [{"x": _pct(slot * (index + 0.5)), "y": y} for index, _year, y in points],
        "short_labels": len(quarters) >= SHORT_LABELS_FROM,
        "dense": len(quarters) > DENSE_QUARTERS,
        "colours": TREND_COLOURS,
    }


def _step_lines(points, slot):
    """A year's target across its quarters, and a riser to the next year's."""
    lines = []
    by_year = {}
    for index, year, y in points:
        by_year.setdefault(year, []).append((index, y))
    previous = None
    for year, found in by_year.items():
        first, last, y = found[0][0], found[-1][0], found[0][1]
        if previous is not None and previous[0] == year - 1 and previous[2] == first - 1:
            edge = _pct(slot * first)
            lines.append({"x1": edge, "x2": edge, "y1": previous[1], "y2": y})
        lines.append({"x1": _pct(slot * first), "x2": _pct(slot * (last + 1)), "y1": y, "y2": y})
        previous = (year, y, last)
    return lines


def _joined_lines(points, slot):
    """Segments joining the quarters' ends that have a planned figure."""
    return [
        {
            "x1": _pct(slot * (a + 0.5)),
            "x2": _pct(slot * (b + 0.5)),
            "y1": ya,
            "y2": yb,
        }
        for (a, _ya_year, ya), (b, _yb_year, yb) in zip(points, points[1:], strict=False)
        if b == a + 1
    ]
