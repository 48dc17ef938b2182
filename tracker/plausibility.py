"""Is a number typed far off its neighbours? A typing slip until the person confirms it.

A yearly target a hundred times the previous year's is almost always a
separator read the wrong way or a zero too many. The rule is pure arithmetic
(:func:`times_off`); the neighbours come from the app that owns the number
(the previous year's target, the plan's final target, the previous quarter's
realisation). :class:`ConfirmUnusualMixin` gives a form the "Yes, this number
is right" checkbox: the server decides, the page only shows the warning, and
the confirmation goes into the history's change reason.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.formatting import format_number_id
from tracker.number_fields import format_number

# More than this many times larger or smaller than a neighbour needs a confirmation.
FACTOR = Decimal(10)


def times_off(value, neighbour, factor=FACTOR):
    """How many times ``value`` is larger (> 1) or smaller (< 1) than ``neighbour``,
    if that is more than ``factor``; ``None`` if it is plausible.

    Zero or a missing number has no ratio (a first realisation of 0 is no slip),
    and neither has a pair of opposite signs: both are left alone.
    """
    if value is None or neighbour is None or value == 0 or neighbour == 0:
        return None
    ratio = Decimal(value) / Decimal(neighbour)
    if ratio <= 0:
        return None
    if ratio > factor or ratio < 1 / factor:
        return ratio
    return None


def comparison(ratio, what):
    """ "100x the previous year's target", or "1/100 of ..." for 0.01 (rounded: people
    compare orders of magnitude, not decimals)."""
    times = ratio if ratio >= 1 else 1 / ratio
    words = {
        "times": format_number_id(times.quantize(Decimal(1), ROUND_HALF_UP), places=0),
        "what": what,
    }
    if ratio >= 1:
        return _("%(times)sx %(what)s") % words
    return _("1/%(times)s of %(what)s") % words


@dataclass(frozen=True)
class Neighbour:
    """A number typed into ``field`` and the neighbour it is compared with.

    ``what`` names the neighbour in the words of the page ("the previous
    year's target"); ``places`` the decimals it is shown with.
    """

    field: str
    value: Decimal
    neighbour: Decimal
    what: str
    places: int = 0

    @property
    def shown(self):
        return format_number(self.neighbour, self.places)

    @property
    def ratio(self):
        return times_off(self.value, self.neighbour)

    def warning(self):
        return _(
            "This is %(comparison)s (%(neighbour)s). Is it right? Check the separators: "
            "1.500.000 for one and a half million, 71,90 for a decimal."
        ) % {"comparison": comparison(self.ratio, self.what), "neighbour": self.shown}

    def note(self):
        """The words the history's change reason keeps."""
        return _("confirmed: %(comparison)s") % {"comparison": comparison(self.ratio, self.what)}


def unusual(neighbours):
    """The :class:`Neighbour` pairs of ``neighbours`` that are far apart."""
    return [n for n in neighbours if n.ratio is not None]


def with_notes(reason, notes):
    """``reason`` with the confirmation ``notes`` appended ("...; confirmed: 100x ...")."""
    parts = [(reason or "").strip(), *notes]
    return "; ".join(part for part in parts if part)


class ConfirmUnusualMixin:
    """A form whose numbers far off their neighbours are saved only once confirmed.

    The form adds the checkbox field ``confirm_unusual`` and, in its ``clean``,
    calls :meth:`check_unusual` with the :class:`Neighbour` pairs its owner
    looked up. Unconfirmed, each far-off field gets the warning as its error
    (so nothing is saved); confirmed, ``self.unusual`` keeps them, the page
    still shows them next to the ticked box, and :meth:`notes` gives the words
    for the history.
    """

    confirm_label = gettext_lazy("Yes, this number is right")

    def add_confirm_field(self):
        self.unusual = []
        self.fields["confirm_unusual"] = forms.BooleanField(
            label=self.confirm_label,
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            help_text=gettext_lazy(
                "Tick this only after checking the numbers the warnings above name."
            ),
        )

    def check_unusual(self, neighbours):
        """Warn about the far-off ``neighbours`` whose field is still valid."""
        self.unusual = [n for n in unusual(neighbours) if n.field not in self.errors]
        if self.unusual and not self.cleaned_data.get("confirm_unusual"):
            for item in self.unusual:
                self.add_error(item.field, item.warning())

    @property
    def unusual_warnings(self):
        """``(label, input id, warning)`` of each far-off number, for the page."""
        return [
            (self.fields[n.field].label, self[n.field].id_for_label, n.warning())
            for n in getattr(self, "unusual", ())
        ]

    @property
    def asks_confirmation(self):
        """Whether the page shows the warnings and the checkbox."""
        return bool(getattr(self, "unusual", None))

    def notes(self, fields=None):
        """The confirmation notes of the far-off numbers (of ``fields`` only, if given)."""
        if not self.is_valid():
            return []
        return [n.note() for n in self.unusual if fields is None or n.field in fields]
