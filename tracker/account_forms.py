"""Forms of the account pages: inviting and editing a person's account, the list's
filter, one's own email, and the "forgot password" form.

They collect input; ``tracker/accounts.py`` decides and writes. No form here has
a password for someone else, a superuser or a staff flag, or a government: the
government is the Administrator's own (a superuser picks it before the form).
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.accounts import (
    NAME_MAX,
    ROLE_CHOICES,
    UNIT_MEMBER,
    account_role,
    claim_password_reset,
)
from tracker.filters import FilterFormMixin
from tracker.models import Government, Unit
from tracker.organisation_forms import reason_field
from tracker.policy import ROLE_GROUPS

ROLE_HELP = _(
    "Administrator: units, officials and accounts. Bappeda: the plan, commitments, "
    "programs and verification. Pimpinan: reads everything. A unit member sees and "
    "reports their unit's programs; an Asda's member sees the units it coordinates."
)


class AccountFields(forms.Form):
    """What an Administrator sets on an account: who, how to reach them, role and unit."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX,
        help_text=_("With academic titles, as the person writes it."),
    )
    email = forms.EmailField(
        label=_("Email"), help_text=_("The link to set a password is sent here.")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, widget=forms.RadioSelect, help_text=ROLE_HELP
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Required for a unit member; optional for the other roles."),
    )
    is_unit_head = forms.BooleanField(label=_("Heads the unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units of the account's government are offered, and accepted.
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("role") == UNIT_MEMBER and not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("Choose the unit of a unit member."))
        return data


class InviteForm(AccountFields):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("For signing in, e.g. dinkes.budi: letters, digits and . _ - only."),
    )

    field_order = ["username", "full_name", "email", "role", "unit", "is_unit_head"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(required=False)


class AccountForm(AccountFields):
    """Edit an existing account; ``initial`` comes from the account as it is."""

    def __init__(self, *args, account, **kwargs):
        profile = account.profile
        kwargs.setdefault(
            "initial",
            {
                "full_name": account.get_full_name(),
                "email": account.email,
                "role": account_role(account),
                "unit": profile.unit_id,
                "is_unit_head": profile.is_unit_head,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(required=True)


class EmailChangeForm(forms.Form):
    """One's own new email address, confirmed with the current password."""

    email = forms.EmailField(label=_("New email address"))
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The current password is not right."))
        return password


class ResetPasswordForm(PasswordResetForm):
    """Django's "forgot password" form, for invited accounts too.

    Django leaves out accounts without a usable password (meant for sign-in
    elsewhere); here such an account is one whose invitation was not used yet,
    and "forgot password" is how its owner gets a fresh link. Inactive
    accounts still get nothing.

    Nor does an account or address that had ``PASSWORD_RESET_EMAILS_PER_HOUR``
    links in the last hour (``tracker.accounts.claim_password_reset``); the
    page after sending says the same in every case, so it reveals no account.
    """

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        for user in users:
            if user.email.lower() == email.lower() and claim_password_reset(user, email=email):
                yield user


STATUS_CHOICES = [
    ("active", _("Active")),
    ("invited", _("Invited, no password set yet")),
    ("inactive", _("Deactivated")),
]


class UserFilter(FilterFormMixin, django_filters.FilterSet):
    """The account list's filter: search, government (superuser), unit, role, status."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=150,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("User name, name or email")}
        ),
    )
    government = django_filters.ModelChoiceFilter(
        label=_("Government"),
        field_name="profile__government",
        queryset=Government.objects.none(),
        empty_label=_("All"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        field_name="profile__unit",
        queryset=Unit.objects.none(),
        empty_label=_("All"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=ROLE_CHOICES, method="by_role", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="by_status", empty_label=_("All")
    )

    layout_columns = (
        ("q", "col-md-4 col-lg-3"),
        ("government", "col-sm-6 col-md-4 col-lg-3"),
        ("unit", "col-sm-6 col-md-4 col-lg-3"),
        ("role", "col-sm-6 col-md-4 col-lg-2"),
        ("status", "col-sm-6 col-md-4 col-lg-2"),
    )

    def __init__(self, *args, units, governments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units
        if governments is None:
            del self.filters["government"]
        else:
            self.filters["government"].queryset = governments

    def search(self, queryset, name, value):
        query = Q()
        for word in value.split():
            query &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset.filter(query)

    def by_role(self, queryset, name, value):
        if value == UNIT_MEMBER:
            return queryset.exclude(groups__name__in=ROLE_GROUPS).filter(
                profile__unit__isnull=False
            )
        return queryset.filter(groups__name=value)

    def by_status(self, queryset, name, value):
        invited = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        if value == "inactive":
            return queryset.filter(is_active=False)
        if value == "invited":
            return queryset.filter(invited, is_active=True)
        return queryset.filter(is_active=True).exclude(invited)
