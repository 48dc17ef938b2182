from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    daily_digest = forms.TypedChoiceField(
        label=_("Email me"),
        choices=[
            ("0", _("one email for each notice, right away")),
            ("1", _("one email a day with all the day's notices")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, initial=None, **kwargs):
        if initial is not None:
            initial = {"daily_digest": "1" if initial.get("daily_digest") else "0"}
        super().__init__(*args, initial=initial, **kwargs)
