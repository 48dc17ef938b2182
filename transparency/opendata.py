"""The open data: the public page's figures as CSV and JSON, and their data dictionary.

One table, in "long" form, so it opens in any spreadsheet: a row per program
(``record`` = ``program``) and a row per indicator and plan year (``record`` =
``indicator``); a field that does not apply to a row is empty. The JSON holds
the same rows grouped (programs, indicators with their years). Numbers are
strings with a dot as the decimal separator ("87.50"), so no precision is lost
to floats and no locale changes them. CSV text goes through
``tracker.exports.safe_row`` (no spreadsheet formulas).
"""

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from tracker.exports import safe_row

# (field, type, description): the data dictionary, in the order of the CSV columns.
FIELDS = [
    ("record", "text", _('What the row describes: "program" or "indicator".')),
    ("code", "text", _("The program's or indicator's code.")),
    ("name", "text", _("The program's title or the indicator's name.")),
    ("commitment", "text", _("Programs: the joint commitment the program carries out.")),
    ("unit", "text", _("The unit that owns the program or is responsible for the indicator.")),
    (
        "status",
        "text",
        _(
            "Programs: on_track, at_risk, late, done or not_started, judged from verified "
            "progress on the status date."
        ),
    ),
    ("status_label", "text", _("Programs: the status in words, in the page's language.")),
    ("state", "text", _("Programs: active, stopped or cancelled.")),
    (
        "verified_progress_percent",
        "decimal",
        _(
            "Programs: progress in percent from verified reports only, the milestones' "
            "progress weighted by their weights; empty while nothing is verified."
        ),
    ),
    ("plan", "text", _("Indicators: the RPJMD (medium-term plan) the indicator belongs to.")),
    ("unit_of_measure", "text", _("Indicators: the unit the target and realisation are in.")),
    ("direction", "text", _('Indicators: "higher" or "lower" (a lower figure is better).')),
    ("year", "integer", _("Indicators: the plan year of the figures.")),
    ("target", "decimal", _("Indicators: the year's target set in the plan.")),
    (
        "realisation",
        "decimal",
        _(
            "Indicators: the year's realisation from verified reports only, up to the "
            "quarter (sum of the quarters, or the latest for non-cumulative indicators); "
            "empty when nothing was verified."
        ),
    ),
    (
        "achievement_percent",
        "decimal",
        _(
            "Indicators: realisation against target in percent (for lower-is-better "
            "indicators (2 x target - realisation) / target); empty without both figures."
        ),
    ),
    (
        "predicate",
        "text",
        _("Indicators: the achievement band (Permendagri 86/2017), in the page's language."),
    ),
]
FIELD_NAMES = [name for name, _type, _description in FIELDS]


def decimal_text(value, places=None):
    """A Decimal as a string with a dot: "87.50"; ``None`` -> ``""``."""
    if value is None:
        return ""
    value = Decimal(value)
    if places is not None:
        # Half-up, as the page and the printed report round (never half-to-even).
        value = value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return format(value, "f")


def program_row(program):
    return {
        "record": "program",
        "code": program["code"],
        "name": program["title"],
        "commitment": program["commitment"],
        "unit": program["owner_unit"],
        "status": program["status"],
        "status_label": program["status_label"],
        "state": program["state"],
        "verified_progress_percent": decimal_text(program["verified_progress"], 2),
    }


def indicator_year(indicator, year):
    places = indicator["decimal_places"]
    return {
        "year": year["year"],
        "target": decimal_text(year["target"], places),
        "realisation": decimal_text(year["realisation"], places),
        "achievement_percent": decimal_text(year["achievement"], 2),
        "predicate": year["predicate"],
    }


def indicator_head(indicator):
    return {
        "record": "indicator",
        "code": indicator["code"],
        "name": indicator["name"],
        "unit": indicator["responsible_unit"],
        "plan": indicator["plan"],
        "unit_of_measure": indicator["unit_of_measure"],
        "direction": indicator["direction"],
    }


def rows(figures):
    """Every row of the table as dicts keyed by :data:`FIELD_NAMES`."""
    empty = dict.fromkeys(FIELD_NAMES, "")
    for program in figures["programs"]:
        yield {**empty, **program_row(program)}
    for indicator in figures["indicators"]:
        head = indicator_head(indicator)
        for year in indicator["years"]:
            yield {**empty, **head, **indicator_year(indicator, year)}


def as_csv(figures):
    """The table as CSV text (UTF-8 with a BOM, so spreadsheet programs read it right)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(FIELD_NAMES)
    for row in rows(figures):
        writer.writerow(safe_row([row[name] for name in FIELD_NAMES]))
    return out.getvalue()


def as_json(government, figures, dictionary_url=""):
    """The same figures as JSON: programs, and indicators with a list of years."""
    period = figures["period"]
    data = {
        "government": {"name": government.name, "region_code": government.region_code},
        "period": {"year": period[0], "quarter": period[1]} if period else None,
        "status_date": figures["status_date"].isoformat() if figures["status_date"] else None,
        "data_dictionary": dictionary_url,
        "programs": [program_row(p) for p in figures["programs"]],
        "indicators": [
            {**indicator_head(i), "years": [indicator_year(i, y) for y in i["years"]]}
            for i in figures["indicators"]
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
