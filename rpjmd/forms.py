"""Forms for maintaining the RPJMD. They collect input; ``rpjmd.services`` validates and writes.

The model forms here never touch their instance (``_post_clean`` is a no-op):
the service reads the stored record, compares, validates and saves, and a
form's field only offers the plan's own nodes and its government's units, so
another government's unit posted by hand is "not one of the choices".
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Goal,
    Indicator,
    Mission,
    Objective,
    Plan,
    PlanProgram,
    Program,
)
from rpjmd.fields import (
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    MISSION_FIELDS,
    OBJECTIVE_FIELDS,
    PLAN_FIELDS,
    PLAN_PROGRAM_FIELDS,
)
from tracker.forms import parse_id
from tracker.models import NOTE_MAX, Unit
from tracker.number_fields import DecimalInput, IndonesianDecimalField
from tracker.plausibility import ConfirmUnusualMixin, Neighbour

# The upload limit when settings.RPJMD_IMPORT_MAX_BYTES is not set.
DEFAULT_IMPORT_MAX_BYTES = 5 * 1000 * 1000


def import_max_bytes():
    return getattr(settings, "RPJMD_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)


class ReasonMixin:
    """An optional "reason for the change" field, added when editing a stored record."""

    def add_reason(self):
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the change"),
            required=False,
            max_length=NOTE_MAX,
            help_text=_("Recorded in the history with your name."),
        )


class ServiceModelForm(ReasonMixin, forms.ModelForm):
    """A model form that only collects and checks input; the service writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.add_reason()

    def _post_clean(self):
        # The service validates the record (full_clean) and reports back with
        # tracker.forms.add_service_errors; the instance stays as stored.
        pass

    def changes(self):
        """The cleaned values of the model's fields, for the service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def _units_of(plan, current=None):
    """The plan's government's active units, plus the one already chosen (even if inactive)."""
    units = Unit.objects.filter(government_id=plan.government_id)
    active = units.filter(is_active=True)
    if current is not None:
        active = units.filter(pk=current.pk) | active
    return active.order_by("name")


class PlanForm(ServiceModelForm):
    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}


class MissionForm(ServiceModelForm):
    class Meta:
        model = Mission
        fields = list(MISSION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class GoalForm(ServiceModelForm):
    class Meta:
        model = Goal
        fields = list(GOAL_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = Mission.objects.filter(plan=plan)


class ObjectiveForm(ServiceModelForm):
    class Meta:
        model = Objective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(mission__plan=plan).order_by("code")


class PlanProgramForm(ServiceModelForm):
    class Meta:
        model = PlanProgram
        fields = list(PLAN_PROGRAM_FIELDS)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(
            goal__mission__plan=plan
        ).order_by("code")
        self.fields["responsible_unit"].queryset = _units_of(
            plan, self.instance.responsible_unit if self.instance.pk else None
        )


def level_choices(plan):
    """The plan's goals, objectives and RPJMD programs as grouped choices ("goal-12")."""
    return [
        (
            _("Goals (tujuan)"),
            [
                (f"goal-{g.pk}", f"{g.code} {g.text}"[:120])
                for g in Goal.objects.filter(mission__plan=plan).order_by("code")
            ],
        ),
        (
            _("Objectives (sasaran)"),
            [
                (f"objective-{o.pk}", f"{o.code} {o.text}"[:120])
                for o in Objective.objects.filter(goal__mission__plan=plan).order_by("code")
            ],
        ),
        (
            _("RPJMD programs"),
            [
                (f"plan_program-{p.pk}", f"{p.code} {p.name}"[:120])
                for p in PlanProgram.objects.filter(objective__goal__mission__plan=plan).order_by(
                    "code"
                )
            ],
        ),
    ]


LEVEL_MODELS = {"goal": Goal, "objective": Objective, "plan_program": PlanProgram}


def level_value(indicator):
    """The level choice value of an indicator ("objective-7")."""
    for name in LEVEL_MODELS:
        if getattr(indicator, f"{name}_id"):
            return f"{name}-{getattr(indicator, f'{name}_id')}"
    return ""


class IndicatorForm(ServiceModelForm):
    level = forms.ChoiceField(
        label=_("Belongs to"),
        help_text=_("The goal, objective or RPJMD program this indicator measures."),
    )

    class Meta:
        model = Indicator
        field_classes = dict.fromkeys(("baseline_value", "final_target"), IndonesianDecimalField)
        fields = list(INDICATOR_FIELDS)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["level"].choices = [("", "---------"), *level_choices(plan)]
        self.order_fields(["level"])
        if self.instance.pk:
            self.fields["level"].initial = level_value(self.instance)
        self.fields["designated_program"].queryset = Program.objects.filter(
            commitment__government_id=plan.government_id
        ).order_by("title")
        self.fields["responsible_unit"].queryset = _units_of(
            plan, self.instance.responsible_unit if self.instance.pk else None
        )
        # Typed as people write them; "1.240" is 1240 for an indicator counted in whole
        # numbers (read from the posted decimal places, else the stored ones).
        places = self._decimal_places()
        for name in ("baseline_value", "final_target"):
            field = self.fields[name]
            field.whole_number = field.widget.whole_number = places == 0
            field.widget.places = places

    def _decimal_places(self):
        """The indicator's decimal places: as posted, else as stored, else the default."""
        raw = self.data.get(self.add_prefix("decimal_places")) if self.is_bound else None
        if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
            return min(int(raw.strip()), 4)
        if self.instance.pk:
            return self.instance.decimal_places
        return self.fields["decimal_places"].initial or 0

    def clean_level(self):
        kind, _dash, raw_id = self.cleaned_data["level"].partition("-")
        model = LEVEL_MODELS.get(kind)
        pk = parse_id(raw_id)
        node = None
        if model is not None and pk is not None:
            plan_path = {
                Goal: "mission__plan",
                Objective: "goal__mission__plan",
                PlanProgram: "objective__goal__mission__plan",
            }[model]
            node = model.objects.filter(pk=pk, **{plan_path: self.plan}).first()
        if node is None:
            raise forms.ValidationError(_("Choose a goal, objective or program of this plan."))
        return node


def _number_field(
    label, *, max_value, max_digits, decimal_places, places, whole_number, min_value=None
):
    return IndonesianDecimalField(
        label=label,
        required=False,
        min_value=min_value,
        max_value=max_value,
        max_digits=max_digits,
        decimal_places=decimal_places,
        whole_number=whole_number,
        widget=DecimalInput(attrs={"class": "form-control"}, places=places),
    )


class TargetsForm(ConfirmUnusualMixin, ReasonMixin, forms.Form):
    """An indicator's target, budget (pagu) and LKjIP realisation for every plan year.

    Field names: ``target_<year>``, ``budget_<year>``, ``realisation_<year>``.
    A year left entirely empty has no target (a stored one is removed).
    Numbers are typed and shown as people write them (``tracker.number_fields``):
    a target of an indicator without decimal places and a pagu in Rupiah read
    "1.240" as 1240. A changed number more than ten times off its neighbour
    (see :meth:`neighbours`) is saved only once ``confirm_unusual`` is ticked.
    """

    def __init__(self, *args, indicator, **kwargs):
        from programs.models import MONEY_MAX, VALUE_LIMIT

        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.stored = {t.year: t for t in indicator.targets.all()}
        self.years = indicator.plan.years
        self.rows = []
        places = indicator.decimal_places
        for year in self.years:
            value = {
                "max_value": VALUE_LIMIT,
                "min_value": -VALUE_LIMIT,
                "max_digits": 20,
                "decimal_places": 4,
                "places": places,
                "whole_number": places == 0,
            }
            self.fields[f"target_{year}"] = _number_field(
                _("Target %(year)s") % {"year": year}, **value
            )
            self.fields[f"budget_{year}"] = _number_field(
                _("Budget %(year)s (Rp)") % {"year": year},
                max_value=MONEY_MAX,
                min_value=0,
                max_digits=18,
                decimal_places=2,
                places=0,
                whole_number=True,
            )
            self.fields[f"realisation_{year}"] = _number_field(
                _("LKjIP realisation %(year)s") % {"year": year}, **value
            )
            row = self.stored.get(year)
            if row is not None:
                self.initial.setdefault(f"target_{year}", row.target)
                self.initial.setdefault(f"budget_{year}", row.budget)
                self.initial.setdefault(f"realisation_{year}", row.realisation)
            self.rows.append(
                (year, self[f"target_{year}"], self[f"budget_{year}"], self[f"realisation_{year}"])
            )
        self.add_reason()
        self.add_confirm_field()

    def clean(self):
        data = super().clean()
        # A request without the year fields is not this form; reading the
        # missing fields as "cleared" would delete every target.
        if any(f"target_{year}" not in self.data for year in self.years):
            raise forms.ValidationError(_("The form is incomplete; reload the page and retry."))
        for year in self.years:
            target = data.get(f"target_{year}")
            others = (data.get(f"budget_{year}"), data.get(f"realisation_{year}"))
            if target is None and any(v is not None for v in others):
                self.add_error(
                    f"target_{year}",
                    _("Enter the target of %(year)s, or clear the whole row.") % {"year": year},
                )
        self.check_unusual(self.neighbours())
        return data

    def _changed(self, kind, year):
        """The number typed for ``kind`` in ``year`` if it differs from the stored one."""
        value = self.cleaned_data.get(f"{kind}_{year}")
        row = self.stored.get(year)
        if value is None or (row is not None and getattr(row, kind) == value):
            return None
        return value

    def neighbours(self):
        """Each changed number with its neighbours: a target with the previous year's
        target and the plan's final target, a pagu with the previous year's pagu, an
        LKjIP realisation with that year's target."""
        data, places = self.cleaned_data, self.indicator.decimal_places
        pairs = []
        for year in self.years:
            before = {kind: data.get(f"{kind}_{year - 1}") for kind in ("target", "budget")}
            target = self._changed("target", year)
            if target is not None:
                pairs.append(
                    Neighbour(
                        f"target_{year}",
                        target,
                        before["target"],
                        _("the target of %(year)s") % {"year": year - 1},
                        places,
                    )
                )
                pairs.append(
                    Neighbour(
                        f"target_{year}",
                        target,
                        self.indicator.final_target,
                        _("the plan's final target"),
                        places,
                    )
                )
            budget = self._changed("budget", year)
            if budget is not None:
                pairs.append(
                    Neighbour(
                        f"budget_{year}",
                        budget,
                        before["budget"],
                        _("the pagu of %(year)s") % {"year": year - 1},
                    )
                )
            realisation = self._changed("realisation", year)
            if realisation is not None:
                pairs.append(
                    Neighbour(
                        f"realisation_{year}",
                        realisation,
                        data.get(f"target_{year}"),
                        _("the target of %(year)s") % {"year": year},
                        places,
                    )
                )
        return pairs

    def targets(self):
        """``{year: (target, budget, realisation) or None}`` for ``services.set_targets``."""
        result = {}
        for year in self.years:
            target = self.cleaned_data.get(f"target_{year}")
            result[year] = (
                None
                if target is None
                else (
                    target,
                    self.cleaned_data.get(f"budget_{year}"),
                    self.cleaned_data.get(f"realisation_{year}"),
                )
            )
        return result

    def confirmations(self):
        """``{year: notes}`` of the far-off numbers the person confirmed, for the history."""
        result = {}
        for year in self.years:
            names = {f"{kind}_{year}" for kind in ("target", "budget", "realisation")}
            notes = self.notes(names)
            if notes:
                result[year] = notes
        return result


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Fill in the template or edit an exported plan."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)}
            )
        return upload


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=NOTE_MAX)
