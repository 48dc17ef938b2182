"""Form widgets shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The help text of a searchable list: true with JavaScript (type, pick) and without
# (the plain list, where Ctrl picks several).
SEARCHABLE_HINT = _(
    "Type part of a name to find it; pick as many as needed. "
    "Without JavaScript, hold Ctrl to pick several."
)


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple choice from a long list that the user searches by typing.

    It renders a plain ``<select multiple>`` marked ``data-searchable``;
    ``static/js/multiselect.js`` (loaded by ``base.html``) turns every such
    list into a Tom Select. Without JavaScript the plain list, ``size`` rows
    tall, still works. The texts the script shows travel as data attributes,
    translated at render time, so the script holds no words of its own.

    A record listed by a short label (a unit by its abbreviation, "Dinkes")
    also carries its full name as the option's ``detail``, shown under the
    label and searched too, so typing "kesehatan" finds Dinkes.
    """

    def __init__(self, attrs=None, choices=(), *, size=8):
        super().__init__({"size": size, **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-searchable": "",
                "data-placeholder": str(_("Type to search…")),
                "data-no-results": str(_("Nothing matches “%(query)s”.")),
                "data-remove-label": str(_("Remove")),
            }
        )
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        full_name = getattr(getattr(value, "instance", None), "name", "")
        if isinstance(full_name, str) and full_name and full_name != str(label):
            # Tom Select reads an option's data-* attributes as fields of the option.
            option["attrs"]["data-detail"] = full_name
        return option
