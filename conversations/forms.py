from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import MESSAGE_MAX


class MessageForm(forms.Form):
    """A new message. The limit is checked here and again by the service."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a message before sending it."),
            "max_length": _(
                "A message can be at most %(limit_value)d characters; this one has "
                "%(show_value)d. Shorten it, or send it in two messages."
            ),
        },
    )
