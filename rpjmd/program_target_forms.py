"""The form of a program's own targets: for each RPJMD indicator it is linked to, a
target per plan year in which the program runs, and where they come from.

Numbers are typed and shown as people write them (``tracker.number_fields``); a
year left empty has no target of the program's own (a stored one is removed).
The service (``rpjmd.program_targets.set_program_targets``) validates and writes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import VALUE_LIMIT, Indicator
from rpjmd.forms import ReasonMixin, _number_field
from rpjmd.models import ProgramTarget
from tracker.plausibility import ConfirmUnusualMixin, Neighbour, with_notes


def program_years(program, plan):
    """The plan years in which ``program`` runs (those it may have a target for)."""
    return [y for y in plan.years if program.start_date.year <= y <= program.end_date.year]


class ProgramTargetsForm(ConfirmUnusualMixin, ReasonMixin, forms.Form):
    """Field names: ``target_<indicator id>_<year>`` and ``source_<indicator id>``.

    A changed target more than ten times off the program's target of the year
    before, or off the RPJMD's target of the year (except for a summed
    indicator, whose programs' shares are smaller by nature), is saved only
    once ``confirm_unusual`` is ticked.
    """

    def __init__(self, *args, program, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        stored = {(t.indicator_id, t.year): t for t in program.own_targets.all()}
        plan_targets = {}
        for indicator in indicators:
            for row in indicator.targets.all():
                plan_targets[(indicator.pk, row.year)] = row.target
        self.stored, self.plan_targets = stored, plan_targets
        self.rows = []
        self.keys = []
        for indicator in indicators:
            source_name = f"source_{indicator.pk}"
            self.fields[source_name] = forms.ChoiceField(
                label=_("Source of %(code)s's targets") % {"code": indicator.code},
                choices=ProgramTarget.Source.choices,
                initial=next(
                    (t.source for (i, _y), t in stored.items() if i == indicator.pk),
                    ProgramTarget.Source.RENJA,
                ),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            years = []
            places = indicator.decimal_places
            for year in program_years(program, indicator.plan):
                name = f"target_{indicator.pk}_{year}"
                self.fields[name] = _number_field(
                    _("Target of %(code)s in %(year)s") % {"code": indicator.code, "year": year},
                    max_value=VALUE_LIMIT,
                    min_value=-VALUE_LIMIT,
                    max_digits=20,
                    decimal_places=4,
                    places=places,
                    whole_number=places == 0,
                )
                if (indicator.pk, year) in stored:
                    self.initial.setdefault(name, stored[(indicator.pk, year)].target)
                years.append((year, self[name], plan_targets.get((indicator.pk, year))))
                self.keys.append((indicator, year, name))
            self.rows.append((indicator, self[source_name], years))
        self.add_reason()
        self.add_confirm_field()

    def clean(self):
        data = super().clean()
        # A request without the year fields is not this form: reading them as
        # "cleared" would remove every target.
        if any(name not in self.data for _indicator, _year, name in self.keys):
            raise forms.ValidationError(_("The form is incomplete; reload the page and retry."))
        self.check_unusual(self.neighbours())
        return data

    def neighbours(self):
        """Each changed target with the program's target of the year before and, for an
        indicator that is not summed, the RPJMD's target of the year."""
        pairs = []
        for indicator, year, name in self.keys:
            value = self.cleaned_data.get(name)
            stored = self.stored.get((indicator.pk, year))
            if value is None or (stored is not None and stored.target == value):
                continue
            places = indicator.decimal_places
            before = self.cleaned_data.get(f"target_{indicator.pk}_{year - 1}")
            what = _("the program's target of %(year)s") % {"year": year - 1}
            pairs.append(Neighbour(name, value, before, what, places))
            if indicator.combination != Indicator.Combination.SUM:
                plan_target = self.plan_targets.get((indicator.pk, year))
                what = _("the RPJMD target of %(year)s") % {"year": year}
                pairs.append(Neighbour(name, value, plan_target, what, places))
        return pairs

    def reason(self):
        """The reason typed, with the confirmations of far-off numbers for the history."""
        return with_notes(self.cleaned_data.get("reason", ""), self.notes())

    def targets(self):
        """``{(indicator, year): (target, source) or None}`` for the service."""
        result = {}
        for indicator, year, name in self.keys:
            target = self.cleaned_data.get(name)
            source = self.cleaned_data.get(f"source_{indicator.pk}")
            result[(indicator, year)] = None if target is None else (target, source)
        return result
