"""Reading the seed data files: CSV rows checked by Django forms.

Each file has a row form; a broken row stops the seeding with the file, the
row number and the field named, before anything is written (the caller runs
in one transaction).
"""

import csv
from pathlib import Path

from django import forms
from django.utils.translation import gettext as _

from programs.models import Indicator
from tracker.models import Government, Unit
from tracker.validators import validate_nip


class SeedDataError(Exception):
    """A data file has a row that cannot be loaded."""

    def __init__(self, path, row_number, field, message):
        self.path, self.row_number, self.field, self.message = path, row_number, field, message
        super().__init__(
            _("%(file)s, row %(row)s, field %(field)s: %(message)s")
            % {"file": path, "row": row_number, "field": field, "message": message}
        )


def read_rows(path, form_class):
    """Yield ``(row_number, cleaned_data)`` for each data row of a CSV file.

    Lines starting with ``#`` are comments. Row numbers count the file's lines
    as an editor shows them, so an error points at the right line.
    """
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(handle)
    numbered = [(i, line) for i, line in enumerate(lines, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _i, line in numbered)
    expected = set(form_class.base_fields)
    missing = expected - set(reader.fieldnames or [])
    if missing:
        raise SeedDataError(
            path.name,
            numbered[0][0] if numbered else 1,
            ", ".join(sorted(missing)),
            _("column missing from the header"),
        )
    for index, row in enumerate(reader, start=1):
        row_number = numbered[index][0] if index < len(numbered) else index
        data = {key: (value or "").strip() for key, value in row.items() if key}
        form = form_class(data)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise SeedDataError(path.name, row_number, field, " ".join(errors))
        yield row_number, form.cleaned_data


class YesNoField(forms.TypedChoiceField):
    """ "true"/"false" in a CSV cell."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            empty_value=False,
            required=False,
            **kwargs,
        )


class GovernmentRow(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Government.Kind.choices)
    region_code = forms.CharField(max_length=13)
    place_name = forms.CharField(max_length=100)


class UnitRow(forms.Form):
    code = forms.CharField(max_length=30)
    kind = forms.ChoiceField(choices=Unit.Kind.choices)
    opd_type = forms.ChoiceField(choices=[("", "")] + Unit.OpdType.choices, required=False)
    name = forms.CharField(max_length=200)
    abbreviation = forms.CharField(max_length=50, required=False)
    coordinator_code = forms.CharField(required=False)
    parent_code = forms.CharField(required=False)


class OfficialRow(forms.Form):
    unit_code = forms.CharField()
    name = forms.CharField(max_length=200)
    nip = forms.CharField(required=False, validators=[validate_nip])
    rank = forms.CharField(max_length=100, required=False)
    position = forms.CharField(max_length=200)
    is_head = YesNoField()
    start_date = forms.DateField(input_formats=["%Y-%m-%d"])
    end_date = forms.DateField(input_formats=["%Y-%m-%d"], required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The office cannot end before it starts."))
        return data


class PlanRow(forms.Form):
    name = forms.CharField(max_length=200)
    start_year = forms.IntegerField(min_value=1945, max_value=2100)
    end_year = forms.IntegerField(min_value=1945, max_value=2100)
    legal_basis = forms.CharField(max_length=300)
    vision = forms.CharField()


class MissionRow(forms.Form):
    number = forms.IntegerField(min_value=1)
    text = forms.CharField()


class GoalRow(forms.Form):
    code = forms.CharField(max_length=30)
    mission_number = forms.IntegerField(min_value=1)
    text = forms.CharField()


class ObjectiveRow(forms.Form):
    code = forms.CharField(max_length=30)
    goal_code = forms.CharField()
    text = forms.CharField()


class PlanProgramRow(forms.Form):
    code = forms.CharField(max_length=30)
    objective_code = forms.CharField()
    name = forms.CharField(max_length=300)
    responsible_unit_code = forms.CharField(required=False)


class IndicatorRow(forms.Form):
    code = forms.CharField(max_length=30)
    level = forms.ChoiceField(
        choices=[("goal", "goal"), ("objective", "objective"), ("program", "program")]
    )
    level_code = forms.CharField()
    name = forms.CharField(max_length=300)
    unit_of_measure = forms.CharField(max_length=50)
    direction = forms.ChoiceField(choices=[("higher", "higher"), ("lower", "lower")])
    cumulative = YesNoField()
    baseline_value = forms.DecimalField(max_digits=20, decimal_places=4, required=False)
    baseline_year = forms.IntegerField(required=False)
    final_target = forms.DecimalField(max_digits=20, decimal_places=4, required=False)
    responsible_unit_code = forms.CharField(required=False)
    decimal_places = forms.IntegerField(min_value=0, max_value=4)
    # "designated" names a program, which does not exist yet when the plan is loaded.
    combination = forms.ChoiceField(
        choices=[
            (c.value, c.value)
            for c in Indicator.Combination
            if c != Indicator.Combination.DESIGNATED
        ]
    )


class TargetRow(forms.Form):
    indicator_code = forms.CharField()
    year = forms.IntegerField()
    target = forms.DecimalField(max_digits=20, decimal_places=4)
    budget = forms.DecimalField(max_digits=18, decimal_places=2, required=False, min_value=0)
    realisation = forms.DecimalField(max_digits=20, decimal_places=4, required=False)


class AccountRow(forms.Form):
    username = forms.CharField(max_length=150)
    full_name = forms.CharField(max_length=150, required=False)
    is_superuser = YesNoField()
    groups = forms.CharField(required=False)
    unit_code = forms.CharField(required=False)
    is_unit_head = YesNoField()


class CodeListField(forms.CharField):
    """Codes separated by ";" in one CSV cell."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(";") if part.strip()]


class CommitmentRow(forms.Form):
    title = forms.CharField(max_length=300)
    theme = forms.CharField(max_length=100)
    scheme = forms.CharField(max_length=200)
    document_number = forms.CharField(max_length=100, required=False)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    place = forms.CharField(max_length=200)
    legal_basis = forms.CharField()
    witnesses = forms.CharField(required=False)
    signed_time = forms.TimeField(input_formats=["%H:%M"])
    signatories = CodeListField()


class PointRow(forms.Form):
    number = forms.IntegerField(min_value=1)
    text = forms.CharField()


class UnitCodeRow(forms.Form):
    unit_code = forms.CharField()


class ProgramRow(forms.Form):
    code = forms.CharField(max_length=40)
    owner_unit = forms.CharField()
    title = forms.CharField(max_length=300)
    categories = CodeListField()
    horizon = forms.ChoiceField(choices=[(c, c) for c in ("quick_win", "short", "medium", "long")])
    indicators = CodeListField()
    start_date = forms.DateField(input_formats=["%Y-%m-%d"])
    end_date = forms.DateField(input_formats=["%Y-%m-%d"])
    budget = forms.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    adoption_name = forms.CharField(required=False)
    adoption_unit = forms.CharField(required=False)
    adoption_target = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    supporting_units = CodeListField()
