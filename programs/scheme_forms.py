"""Forms of the classification scheme pages: the scheme's own fields and its list of
categories (one row each, in order). They collect input; ``programs.scheme_services``
decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import ClassificationScheme
from programs.program_forms import SMALL, BaseRowFormSet, RowForm
from tracker.models import LONG_TEXT_MAX, NOTE_MAX


class SchemeForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("Kept in the scheme's history."),
    )

    class Meta:
        model = ClassificationScheme
        fields = ["name", "description", "categories_required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CategoryRowForm(RowForm):
    code = forms.SlugField(
        label=_("Code"), max_length=40, widget=forms.TextInput(attrs={**SMALL, "size": 12})
    )
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=SMALL))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.TextInput(attrs=SMALL),
    )


CategoryFormSet = forms.formset_factory(
    CategoryRowForm, formset=BaseRowFormSet, extra=2, can_delete=True
)
CATEGORY_NAMES = ("code", "name", "description")


def category_rows(scheme):
    """The scheme's categories as the rows of the category list."""
    if scheme is None:
        return []
    return [
        {"pk": c.pk, "code": c.code, "name": c.name, "description": c.description}
        for c in scheme.categories.all()
    ]
