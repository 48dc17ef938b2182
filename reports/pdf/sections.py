"""The report's sections other than the evaluation table and the signatures."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from programs import charts, status
from reports import titles
from reports.pdf.common import (
    BOLD,
    FONT,
    esc,
    grid_table,
    pct,
    wrap,
)
from tracker.formatting import (
    format_date_id,
    format_number_id,
    format_quarter,
)


def cover(report, styles, code, url):
    request = report.request
    issuer = report.issuing_unit.name if report.issuing_unit else ""
    # The commitments by their own titles, one line each (reports/titles.py).
    lines = titles.cover_commitments(request)
    story = [
        Spacer(1, 30 * mm if len(lines) < 3 else 15 * mm),
        Paragraph(esc(titles.cover_heading(request)), styles["cover_title"]),
        *(
            Paragraph(esc(line), styles["cover_title" if len(lines) == 1 else "cover_list"])
            for line in lines
        ),
        Spacer(1, 10 * mm),
        Paragraph(esc(request.government.name.upper()), styles["cover"]),
        Paragraph(
            _("Quarter %(quarter)s of %(year)s")
            % {"quarter": format_quarter(request.quarter), "year": request.year},
            styles["cover"],
        ),
    ]
    if request.unit is not None:
        story.append(Paragraph(esc(request.unit.name), styles["cover"]))
    if report.is_provisional:
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                "<b>{}</b>".format(
                    _("PROVISIONAL: the period is not locked yet; figures may still change.")
                ),
                styles["cover_small"],
            ),
        ]
    story += [Spacer(1, 25 * mm), _qr(url), Spacer(1, 3 * mm)]
    story.append(
        Paragraph(
            _("Check this report at %(url)s (code %(code)s)") % {"url": esc(url), "code": code},
            styles["cover_small"],
        )
    )
    story += [
        Spacer(1, 30 * mm),
        Paragraph(_("Issued by"), styles["cover"]),
        Paragraph(f"<b>{esc(issuer)}</b>", styles["cover"]),
        Paragraph(esc(request.government.name), styles["cover"]),
        Paragraph(str(request.year), styles["cover"]),
        PageBreak(),
    ]
    return story


def _qr(url, size=34 * mm):
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


WIDTHS = (100 * mm, 35 * mm, 35 * mm)


def summary(report, styles):
    summary = report.summary
    totals = summary["totals"]
    count = totals["programs"] or 1
    story = [Paragraph(_("1. Executive summary"), styles["h1"])]
    if len(report.commitments) > 1:
        due = _(
            "%(programs)s programs of the %(commitments)s commitments were due to report for "
            "this quarter. Only verified reports count in the figures below."
        )
    else:
        due = _(
            "%(programs)s programs of the commitment were due to report for this quarter. "
            "Only verified reports count in the figures below."
        )
    counts = {"programs": totals["programs"], "commitments": len(report.commitments)}
    story.append(Paragraph(due % counts, styles["body"]))
    story.append(Paragraph(_("Report submission"), styles["h2"]))
    rows = [[_("Submission"), _("Programs"), "%"]]
    for key, label in charts.COMPLIANCE_LABELS.items():
        rows.append([str(label), str(totals[key]), pct(Decimal(100 * totals[key]) / count)])
    story.append(
        grid_table(rows, [60 * mm, 30 * mm, 30 * mm], style=[("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    )
    story.append(Paragraph(_("Program status"), styles["h2"]))
    rows = [[_("Status"), _("Programs"), "%"]]
    for key in status.ORDER:
        rows.append(
            [
                str(status.LABELS[key]),
                str(totals[key]),
                pct(Decimal(100 * totals[key]) / count),
            ]
        )
    story.append(
        grid_table(rows, [60 * mm, 30 * mm, 30 * mm], style=[("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    )
    story.append(Paragraph(_("Achievement"), styles["h2"]))
    table = report.table
    rows = [
        [_("Measure"), _("Average achievement"), _("Predicate")],
        [
            _("Performance (K) against the %(year)s targets, up to quarter %(quarter)s")
            % {"year": table.year, "quarter": format_quarter(table.quarter)},
            pct(table.average_k),
            table.predicate_k or "–",
        ],
        [
            _("Budget (Rp) against the %(year)s budget, up to quarter %(quarter)s")
            % {"year": table.year, "quarter": format_quarter(table.quarter)},
            pct(table.average_rp),
            table.predicate_rp or "–",
        ],
    ]
    if table.indicators:
        rows.append(
            [
                _("Performance (K) against the RPJMD end-of-period targets (not graded)"),
                pct(table.plan_average_k),
                "",
            ]
        )
    story.append(
        grid_table(
            [[wrap(text, w, FONT, 8) for text, w in zip(row, WIDTHS, strict=True)] for row in rows],
            list(WIDTHS),
            style=[("ALIGN", (1, 1), (1, -1), "RIGHT")],
        )
    )
    story.append(
        Paragraph(
            _(
                "K: the RPJMD indicators, each combining its programs' verified figures by its "
                "stored rule (section 3); Rp: the programs' budget realisation. The predicate "
                "grades the achievement of the year (Permendagri 86/2017)."
            )
            if table.indicators
            else _(
                "K: the unit's programs' own indicator figures; Rp: their budget realisation. "
                "The predicate grades the achievement of the year (Permendagri 86/2017)."
            ),
            styles["small"],
        )
    )
    story.append(Paragraph(_("The five most overdue milestones"), styles["h2"]))
    overdue = summary["overdue"][:5]
    if overdue:
        rows = [[_("Milestone"), _("Program"), _("Unit"), _("Planned finish"), _("Progress")]]
        for milestone, percent, program in overdue:
            rows.append(
                [
                    Paragraph(esc(milestone.title), styles["small"]),
                    Paragraph(esc(program.title), styles["small"]),
                    Paragraph(
                        esc(program.owner_unit.abbreviation or program.owner_unit.name),
                        styles["small"],
                    ),
                    format_date_id(milestone.planned_finish),
                    pct(percent),
                ]
            )
        story.append(
            grid_table(
                rows,
                [50 * mm, 55 * mm, 25 * mm, 27 * mm, 20 * mm],
                font_size=7.5,
                style=[("ALIGN", (4, 1), (4, -1), "RIGHT")],
            )
        )
    else:
        story.append(Paragraph(_("No milestone is overdue."), styles["body"]))
    fonts = {"font": FONT, "bold_font": BOLD, "width": 480}
    # A status chart per classification scheme of the commitments covered.
    status_charts = []
    for scheme, rows in summary["by_scheme"]:
        status_charts += [charts.status_by_category(scheme.name, rows, **fonts), Spacer(1, 6 * mm)]
    # Both charts on one page: alone, the second left the first on an otherwise empty page.
    story += [
        Spacer(1, 4 * mm),
        KeepTogether(
            [
                *status_charts,
                charts.compliance_by_asda(summary["by_asda"], **fonts),
            ]
        ),
        CondPageBreak(60 * mm),
    ]
    return story


def commitments(report, styles):
    story = [Paragraph(_("2. Commitment status"), styles["h1"])]
    for item in report.commitments:
        commitment = item.commitment
        block = [
            Paragraph(esc(commitment.title), styles["h2"]),
            Paragraph(
                _("Signed at %(place)s on %(date)s. Number: %(number)s.")
                % {
                    "place": esc(commitment.place),
                    "date": format_date_id(commitment.date),
                    "number": esc(commitment.document_number or "–"),
                },
                styles["body"],
            ),
        ]
        story += block
        for point in item.points:
            story.append(
                Paragraph(f"{point.number}. {esc(point.text)}", styles["body"], bulletText=None)
            )
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                _(
                    "Signing at the end of the quarter: <b>%(signed)s of %(expected)s</b> "
                    "expected signatories (%(percent)s%%)."
                )
                % {
                    "signed": item.signed,
                    "expected": item.expected,
                    "percent": format_number_id(item.percent, places=2),
                },
                styles["body"],
            )
        )
        if item.outstanding:
            story.append(Paragraph(_("Not signed yet:"), styles["body"]))
            rows = [[pgettext("table column", "No"), _("Unit")]] + [
                [str(i), Paragraph(esc(unit.name), styles["small"])]
                for i, unit in enumerate(item.outstanding, start=1)
            ]
            story.append(grid_table(rows, [12 * mm, 120 * mm], font_size=7.5))
    return story


# 262 mm: within an A4 landscape frame, where this section follows the evaluation
# table. A date ("29 September 2020") needs 25 mm at 7 pt.
MILESTONE_WIDTHS = [62 * mm, 66 * mm, 30 * mm, 30 * mm, 30 * mm, 20 * mm, 24 * mm]
MILESTONE_SIZE = 7


def milestones(report, styles):
    story = [Spacer(1, 6 * mm), Paragraph(_("4. Late and at-risk milestones"), styles["h1"])]
    if not report.milestones:
        story.append(Paragraph(_("No milestone is late or at risk."), styles["body"]))
    for unit, rows in report.milestones:
        story.append(CondPageBreak(30 * mm))
        story.append(Paragraph(esc(unit.name), styles["h2"]))
        head = [
            _("Program"),
            _("Milestone"),
            _("Planned start"),
            _("Planned finish"),
            _("Actual finish"),
            _("Progress"),
            _("Status"),
        ]
        widths = MILESTONE_WIDTHS
        size = MILESTONE_SIZE
        table = [[wrap(text, widths[i], BOLD, size, 6) for i, text in enumerate(head)]]
        for milestone, percent, state, program in rows:
            finished = milestone.actual_finish
            cells = [
                program.title,
                milestone.title,
                format_date_id(milestone.planned_start),
                format_date_id(milestone.planned_finish),
                format_date_id(finished) if finished and state == status.DONE else "–",
                pct(percent),
                str(status.LABELS[state]),
            ]
            # Every cell wrapped to its column: nothing runs into the next one.
            table.append([wrap(text, widths[i], FONT, size, 6) for i, text in enumerate(cells)])
        story.append(
            grid_table(
                table,
                MILESTONE_WIDTHS,
                font_size=size,
                style=[("ALIGN", (5, 1), (5, -1), "RIGHT")],
            )
        )
    return story
