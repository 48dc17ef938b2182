"""Helpers of the RPJMD tests: the Cilegon plan, its workbook rows, and counting what is
stored (objects and history rows) so a test can say "nothing was saved"."""

import copy

import pytest

from programs.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Plan,
    PlanProgram,
)
from rpjmd.export import plan_rows
from rpjmd.workbook import SHEETS_BY_KEY

PLAN_MODELS = (Plan, Mission, Goal, Objective, PlanProgram, Indicator, IndicatorTarget)


def stored_counts():
    """Objects and history rows of every plan model, to compare before and after."""
    return {model.__name__: (model.objects.count(), model.history.count()) for model in PLAN_MODELS}


@pytest.fixture
def plan(cilegon):
    return Plan.objects.get(government=cilegon)


@pytest.fixture
def bappeda(django_user_model):
    return django_user_model.objects.get(username="bappeda")


@pytest.fixture
def rows(plan):
    """A fresh copy of the Cilegon plan's workbook rows, per sheet key."""
    return copy.deepcopy(plan_rows(plan))


def row_index(rows, sheet_key, *key):
    """The index in ``rows[sheet_key]`` of the row whose first columns are ``key``."""
    for index, row in enumerate(rows[sheet_key]):
        if tuple(row[: len(key)]) == key:
            return index
    raise LookupError(key)


def excel_row(rows, sheet_key, *key):
    """The row number Excel shows for that row (the headers are row 1)."""
    return row_index(rows, sheet_key, *key) + 2


def column(sheet_key, column_key):
    """The position of a column in its sheet."""
    sheet = SHEETS_BY_KEY[sheet_key]
    return [c.key for c in sheet.columns].index(column_key)
