"""Text in exports that spreadsheet programs never evaluate (CSV / formula injection).

Excel and LibreOffice read a CSV field, or a typed cell, that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, which can
open links, fetch data or start programs (OWASP "CSV Injection"). A program
title, unit name or note is typed by users, so every export writes text
through this module:

- CSV (:func:`safe_cell`, :func:`safe_row`): such a field gets a single quote
  in front, as OWASP advises. The quote shows in the spreadsheet; it tells the
  reader the text was neutralised and the program treats the field as text.
- Excel (:func:`set_cell`): the text is stored unchanged as a string cell
  (openpyxl would otherwise store a string that begins with ``=`` as a
  formula) with Excel's "quote prefix" flag, which is what Excel itself does
  when someone types an apostrophe first: the cell shows exactly the text,
  is never a formula, and stays text when someone edits it later.

Numbers are not text and pass through unchanged, a negative number included.
"""

from openpyxl.cell.rich_text import CellRichText

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value):
    """Whether ``value`` is text that a spreadsheet program would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """``value`` as a CSV field: text that would be evaluated gets a leading ``'``.

    Anything that is not text (numbers, dates, ``None``) is returned unchanged.
    """
    if looks_like_formula(value):
        return "'" + value
    return value


def safe_row(values):
    """A CSV row with every field through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def set_cell(cell, value):
    """Put ``value`` into the openpyxl ``cell``; text (plain or rich) is always a string cell.

    Numbers, dates and ``None`` are stored as they are.
    """
    cell.value = value
    if isinstance(value, str | CellRichText):
        cell.data_type = "s"
        if looks_like_formula(str(value)):
            cell.quotePrefix = True
    return cell
