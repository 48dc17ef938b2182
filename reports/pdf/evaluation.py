"""Section 3 of the PDF: the Permendagri 86/2017 evaluation table per unit, and the
evaluation of each RPJMD indicator as a whole.

Each program is a block of rows: its number, code, budget (Rp) figures and
responsible unit span the block, and each RPJMD indicator it reports has a
row of its own performance (K) figures, so K and Rp stand side by side in
every figure column. Figure columns are as wide as their widest value; the
text columns share what is left. When the figures do not fit an A4 landscape
page, the section is laid out on A3 landscape instead of shrinking the text.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, TableStyle

from reports.evaluation import rows as evaluation_rows
from reports.pdf.common import (
    BOLD,
    FONT,
    GRID,
    HEAD_FILL,
    PROGRAM_FILL,
    esc,
    glue,
    grid_table,
    wrap,
)
from reports.pdf.evaluation_layout import (
    FIGURE_BOLD,
    FIGURE_FONT,
    FIGURES,
    PAD,
    PAGE_SIZES,
    PREDICATE_WIDTH,
    SIZE,
    UNIT_WIDTH,
    EvaluationLayout,
    frame_width,
)
from reports.pdf.evaluation_layout import pct_text as _pct
from reports.pdf.tables import CellParagraph, GridTable

__all__ = ["PAGE_SIZES", "EvaluationLayout", "frame_width", "section"]


def section(layout, styles):
    """The section's flowables, laid out as ``layout`` (an :class:`EvaluationLayout`) says."""
    report = layout.report
    table = report.table
    story = [
        Paragraph(_("3. Evaluation of results (Permendagri 86/2017)"), styles["h1"]),
        Paragraph(evaluation_rows.legend(), styles["small"]),
    ]
    if not table.sections:
        story.append(
            Paragraph(_("No program of this report has started by this quarter."), styles["body"])
        )
        return story
    widths = layout.unit_widths()
    for number, unit_section in enumerate(table.sections, start=1):
        heading = Paragraph(f"3.{number} {esc(unit_section.unit.name)}", styles["h2"])
        unit_table = _unit_table(unit_section, layout, widths, styles)
        # The heading never ends a page alone: it starts a page unless the table's
        # header and first program block fit under it.
        story.append(CondPageBreak(_start_height(heading, unit_table, sum(widths))))
        story += [heading, unit_table, Spacer(1, 2 * mm)]
        story.append(_closing_rows(unit_section, number, sum(widths), styles))
    if table.indicators:
        story += _indicator_section(layout, len(table.sections) + 1, styles)
    return story


def _start_height(heading, table, width):
    """The height of ``heading`` with ``table``'s header and first program block: what
    must fit on a page for the heading to start there."""
    _w, heading_height = heading.wrap(width, 10_000)
    heading_height += heading.getSpaceBefore() + heading.getSpaceAfter()
    table.wrap(width, 100_000)
    return heading_height + sum(table._rowHeights[: table.first_block_end + 1]) + 4


# --- The unit table ----------------------------------------------------------------------------


def _table_header(widths, year, plan_end_year, *, fixed, numbers, tail, tail_numbers):
    """Three header rows of a table whose ``fixed`` text columns come before the form's
    eleven K / Rp figure pairs and its ``tail`` columns after them: the headings (each
    figure heading, with its formula, over its pair), K / Rp, and the column numbers."""
    start = len(fixed)
    first = [wrap(text, widths[i], BOLD, SIZE) for i, text in enumerate(fixed)]
    second = [""] * start
    numbers = list(numbers)
    for index, (number, heading, formula) in enumerate(
        evaluation_rows.figure_columns(year, plan_end_year)
    ):
        pair = widths[start + 2 * index] + widths[start + 2 * index + 1]
        text = wrap(glue(heading), pair, BOLD, SIZE)
        if formula:
            text += "\n" + wrap(f"({formula})", pair, FONT, SIZE)
        first += [text, ""]
        second += ["K", "Rp"]
        numbers += [str(number), ""]
    after = start + 2 * FIGURES
    first += [wrap(text, widths[after + i], BOLD, SIZE) for i, text in enumerate(tail)]
    second += [""] * len(tail)
    numbers += list(tail_numbers)
    return [first, second, numbers]


def _table_header_style(fixed_count, tail_count):
    """The style of :func:`_table_header`'s rows: text headings span the K / Rp row,
    each figure heading and number spans its pair."""
    style = [
        ("BACKGROUND", (0, 0), (-1, 2), HEAD_FILL),
        ("FONT", (0, 0), (-1, 1), BOLD, SIZE),
        ("FONT", (0, 2), (-1, 2), FONT, SIZE),
        ("ALIGN", (0, 0), (-1, 2), "CENTER"),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
    ]
    after = fixed_count + 2 * FIGURES
    for column in (*range(fixed_count), *range(after, after + tail_count)):
        style.append(("SPAN", (column, 0), (column, 1)))
    for index in range(FIGURES):
        column = fixed_count + 2 * index
        style += [("SPAN", (column, 0), (column + 1, 0)), ("SPAN", (column, 2), (column + 1, 2))]
    return style


def _header_rows(year, widths, plan_end_year):
    """The unit table's header: No, Sasaran, Kode, Program / indicator, the figures,
    the unit in charge and Keterangan, numbered 1-17 as the form numbers them."""
    return _table_header(
        widths,
        year,
        plan_end_year,
        fixed=[
            pgettext("table column", "No"),
            _("Objective (sasaran)"),
            _("Code"),
            _("Program / indicator"),
        ],
        numbers=["1", "2", "3", "4"],
        tail=[_("Unit in charge"), _("Notes")],
        tail_numbers=["16", "17"],
    )


def _unit_table(unit_section, layout, widths, styles):
    table = layout.report.table
    rows = _header_rows(table.year, widths, table.plan_end_year)
    style = _table_header_style(4, 2)
    program_style = styles["cell_bold"]
    first_block_end = len(rows)
    last_block_start = len(rows)
    for number, block in enumerate(unit_section.programs):
        first = len(rows)
        last_block_start = first
        lines = block.lines or [None]
        if number == 0:
            first_block_end = first + len(lines) - 1
        rp = layout.rp(block)
        for position, line in enumerate(lines):
            indicator_text = ""
            k = layout.k(line)
            objective = ""
            notes = evaluation_rows.row_notes(block, position, line)
            if line is not None:
                indicator = line.indicator
                indicator_text = f"{indicator.code} {indicator.name} ({indicator.unit_of_measure})"
                objective = line.objective
            if position == 0:
                program_cell = CellParagraph(
                    f"<b>{esc(block.program.title)}</b><br/>{esc(indicator_text)}",
                    program_style,
                )
            else:
                program_cell = wrap(indicator_text, widths[3], FONT, SIZE)
            row = [
                block.number if position == 0 else "",
                wrap(objective, widths[1], FONT, SIZE),
                wrap(block.program.code or "–", widths[2], FONT, SIZE) if position == 0 else "",
                program_cell,
            ]
            for index in range(FIGURES):
                row += [k[index], rp[index] if position == 0 else ""]
            unit = block.program.owner_unit
            row += [
                wrap(unit.abbreviation or unit.name, widths[26], FONT, SIZE)
                if position == 0
                else "",
                wrap("; ".join(notes), widths[27], FONT, SIZE),
            ]
            rows.append(row)
        last = len(rows) - 1
        style.append(("BACKGROUND", (0, first), (0, last), PROGRAM_FILL))
        if last > first:
            for column in (0, 2, 26, *range(5, 26, 2)):
                style.append(("SPAN", (column, first), (column, last)))
    rows += _average_rows(unit_section, widths)
    average_row = len(rows) - 2
    # The averages stay with the last program block; no page holds them alone.
    style.append(("NOSPLIT", (0, last_block_start), (-1, -1)))
    style += [
        ("SPAN", (0, average_row), (3, average_row)),
        ("SPAN", (0, average_row + 1), (3, average_row + 1)),
        ("FONT", (0, average_row), (-1, -1), BOLD, SIZE),
        ("BACKGROUND", (0, average_row), (-1, -1), HEAD_FILL),
        ("ALIGN", (4, 3), (25, -1), "RIGHT"),
        ("FONT", (4, 3), (25, average_row - 1), FIGURE_FONT, SIZE),
        ("FONT", (4, average_row), (25, -1), FIGURE_BOLD, SIZE),
    ]
    table = grid_table(rows, widths, header_rows=3, style=style, font_size=SIZE, padding=PAD)
    table.first_block_end = first_block_end
    return table


def _average_rows(unit_section, widths):
    """The form's two closing rows: average achievement and predicate, K and Rp,
    under column 13 (the year's achievement)."""
    column = 4 + 2 * evaluation_rows.ACHIEVEMENT_INDEXES[0]
    average = [_("Average achievement (%)"), "", "", ""] + [""] * (2 * FIGURES) + ["", ""]
    predicate = [_("Predicate"), "", "", ""] + [""] * (2 * FIGURES) + ["", ""]
    average[column] = _pct(unit_section.average_k)
    average[column + 1] = _pct(unit_section.average_rp)
    predicate[column] = wrap(unit_section.predicate_k or "–", widths[column], BOLD, SIZE)
    predicate[column + 1] = wrap(unit_section.predicate_rp or "–", widths[column + 1], BOLD, SIZE)
    return [average, predicate]


def _closing_rows(unit_section, number, width, styles):
    """Supporting factors, obstacles and both follow-ups, as the form's last rows.

    Kept together on one page when they fit one, and under a caption row naming
    the unit (repeated if they must continue on the next page), so the rows are
    never read without knowing whose they are.
    """
    label_width = 62 * mm
    caption = _("%(number)s %(unit)s: supporting factors, obstacles and follow-up") % {
        "number": f"3.{number}",
        "unit": unit_section.unit.abbreviation or unit_section.unit.name,
    }
    rows = [[CellParagraph(f"<b>{esc(caption)}</b>", styles["cell"]), ""]]
    for caption, entries in evaluation_rows.closing_rows(unit_section):
        rows.append(
            [
                CellParagraph(f"<b>{esc(caption)}</b>", styles["cell"]),
                CellParagraph(_grouped_texts(entries), styles["cell"]),
            ]
        )
    table = GridTable(
        rows, colWidths=[label_width, width - label_width], hAlign="LEFT", repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("SPAN", (0, 0), (1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("BACKGROUND", (0, 1), (0, -1), HEAD_FILL),
            ]
        )
    )
    return KeepTogether([table])


# At most this many characters in one cell of the closing rows. A table row
# cannot break across pages, and at 7 pt about 10,000 characters fill an A4
# landscape page: beyond that the PDF cannot be laid out at all. One program's
# longest text (4,000 characters) with its title always prints in full.
CELL_CHARS = 5000
# A shortened text keeps at least this many characters (its title included);
# texts beyond what the cell then holds are only counted.
MIN_SHARE = 150


def _grouped_texts(entries):
    """Texts shared by several programs are written once, naming the programs.

    When a unit's texts together exceed ``CELL_CHARS``, each is shortened to a
    fair share of the cell (short texts keep what they have, the long ones
    share the rest) and ends with "…"; if even ``MIN_SHARE`` characters each
    would not fit, the last ones are only counted. A note then says the full
    texts are in the application.
    """
    if not entries:
        return "–"
    groups = evaluation_rows.grouped_texts(entries)
    hidden = max(0, len(groups) - CELL_CHARS // MIN_SHARE)
    groups = groups[: len(groups) - hidden]
    # Fair shares: the shortest groups first, each at most an equal part of what is left.
    allowance, left = {}, CELL_CHARS
    for index, (text, titles) in sorted(
        enumerate(groups), key=lambda item: len(item[1][0]) + len(item[1][1])
    ):
        share = left // (len(groups) - len(allowance))
        allowance[index] = min(len(text) + len(titles), share)
        left -= allowance[index]
    parts, shortened = [], bool(hidden)
    for index, (text, titles) in enumerate(groups):
        room = allowance[index]
        if len(text) + len(titles) > room:
            shortened = True
            titles = _shorten(titles, room // 3)
            text = _shorten(text, room - len(titles))
        parts.append(f"{esc(text)} <i>({esc(titles)})</i>")
    if hidden:
        more = ngettext(
            "… and the texts of %(count)s more program.",
            "… and the texts of %(count)s more programs.",
            hidden,
        ) % {"count": hidden}
        parts.append(esc(more))
    if shortened:
        note = _("Shortened to fit the page; the full texts are in the application.")
        parts.append(f"<i>[{esc(note)}]</i>")
    return " ".join(parts)


def _shorten(text, limit):
    """``text`` cut to at most ``limit`` characters at a word break, ending with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[-30:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


# --- The RPJMD indicators as a whole -----------------------------------------------------------


def _indicator_section(layout, number, styles):
    """Each RPJMD indicator as a whole, in the unit tables' K / Rp column pairs."""
    table = layout.report.table
    story = [
        CondPageBreak(60 * mm),
        Paragraph(f"3.{number} " + esc(_("Achievement of the RPJMD indicators")), styles["h2"]),
        Paragraph(
            _(
                "Each RPJMD indicator as a whole. Where several programs report one indicator, "
                "their verified figures of each quarter are combined by the rule stored on "
                "the indicator (column 3–4). A past year counts the realisation published in the "
                "LKjIP where one is recorded. Rp: the RPJMD's budget (pagu) as target, against "
                "the verified budget realisations of the programs that report the indicator."
            ),
            styles["small"],
        ),
    ]
    widths = layout.indicator_widths()
    notes_width = widths[-1]
    rows = _indicator_header(table, widths)
    style = _table_header_style(3, 3)
    for evaluation in table.indicators:
        indicator = evaluation.indicator
        reporters = "; ".join(
            f"{p.title} ({p.owner_unit.abbreviation or p.owner_unit.name})"
            for p in evaluation.programs
        )
        title = f"{indicator.code} {indicator.name} ({indicator.unit_of_measure})"
        k, rp = layout.indicator(evaluation)
        unit = evaluation.responsible_unit
        row = [
            evaluation.number,
            wrap(evaluation.objective, widths[1], FONT, SIZE),
            CellParagraph(
                f"<b>{esc(title)}</b><br/>{esc(evaluation.rule)}: {esc(reporters)}",
                styles["cell"],
            ),
        ]
        for index in range(FIGURES):
            row += [k[index], rp[index]]
        row += [
            wrap(evaluation.predicate or "–", PREDICATE_WIDTH, FONT, SIZE),
            wrap((unit.abbreviation or unit.name) if unit else "–", UNIT_WIDTH, FONT, SIZE),
            wrap("; ".join(evaluation.notes), notes_width, FONT, SIZE),
        ]
        rows.append(row)
    average = [_("Average achievement (%)"), "", ""] + [""] * (2 * FIGURES) + ["", "", ""]
    average[3 + 2 * evaluation_rows.ACHIEVEMENT_INDEXES[0]] = _pct(table.average_k)
    average[3 + 2 * evaluation_rows.ACHIEVEMENT_INDEXES[1]] = _pct(table.plan_average_k)
    average[3 + 2 * FIGURES] = wrap(table.predicate_k or "–", PREDICATE_WIDTH, BOLD, SIZE)
    rows.append(average)
    last = len(rows) - 1
    style += [
        # The last indicators stay with the average: no page holds one row alone.
        ("NOSPLIT", (0, max(3, last - 2)), (-1, last)),
        ("ALIGN", (3, 3), (2 + 2 * FIGURES, -1), "RIGHT"),
        ("FONT", (3, 3), (2 + 2 * FIGURES, last - 1), FIGURE_FONT, SIZE),
        ("SPAN", (0, last), (2, last)),
        ("FONT", (0, last), (-1, last), BOLD, SIZE),
        ("BACKGROUND", (0, last), (-1, last), HEAD_FILL),
    ]
    story.append(grid_table(rows, widths, header_rows=3, style=style, font_size=SIZE, padding=PAD))
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            _(
                "Government-wide: average achievement of the year %(k)s (%(predicate)s) for "
                "performance (K), %(rp)s (%(rp_predicate)s) for the budget (Rp) of all programs."
            )
            % {
                "k": _pct(table.average_k),
                "predicate": table.predicate_k or "–",
                "rp": _pct(table.average_rp),
                "rp_predicate": table.predicate_rp or "–",
            },
            styles["small"],
        )
    )
    return story


def _indicator_header(table, widths):
    """The indicator table's header, numbered like the unit tables' columns: its third
    cell holds the form's code and name (3-4)."""
    return _table_header(
        widths,
        table.year,
        table.plan_end_year,
        fixed=[
            pgettext("table column", "No"),
            _("Objective (sasaran)"),
            _("Indicator, combining rule and programs"),
        ],
        numbers=["1", "2", "3–4"],
        tail=[_("Predicate"), _("Unit in charge"), _("Notes")],
        tail_numbers=["", "16", "17"],
    )
