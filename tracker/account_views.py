"""Pages of accounts: the Administrator's list of a government's accounts, inviting a
person, editing, (de)activating; one's own password and email; "forgot password".

An account is fetched through ``users_visible_to`` (another government's, or
anyone's for a role that manages none: 404); the list and the invitation form
are refused (403) to whoever manages no accounts. Every write calls
``tracker.accounts``.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from tracker import accounts, policy
from tracker.account_forms import (
    AccountForm,
    EmailChangeForm,
    InviteForm,
    ResetPasswordForm,
    UserFilter,
)
from tracker.forms import add_service_errors, parse_id
from tracker.models import Government, Unit
from tracker.new_records import choose_government, government_for_new
from tracker.organisation_forms import ReasonForm
from tracker.organisation_views import tell_about_invitation
from tracker.pages import reason_form_page
from tracker.selectors import officials_visible_to, users_visible_to

PAGE_SIZE = 25


def _units_of(government, keep=None):
    """Active units of ``government`` (and ``keep``, a unit the account is in now)."""
    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep)
    return Unit.objects.filter(condition, government=government).order_by("kind", "name")


class UserListView(LoginRequiredMixin, FilterView):
    filterset_class = UserFilter
    template_name = "tracker/user_list.html"
    paginate_by = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not accounts.manages_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("username")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        actor = policy.actor_for(self.request.user)
        if actor.role == policy.Role.SUPERUSER:
            # Every government; units once one is chosen (a long list otherwise).
            kwargs["governments"] = Government.objects.order_by("name")
            government_id = parse_id(self.request.GET.get("government"))
            units = Unit.objects.filter(government_id=government_id) if government_id else None
        else:
            units = Unit.objects.filter(government_id=actor.government_id)
        kwargs["units"] = units.order_by("name") if units is not None else Unit.objects.none()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for account in context["object_list"]:
            account.role_label = _role_label(account)
        return context


def _role_label(account):
    if account.is_superuser:
        return _("Superuser")
    role = accounts.account_role(account)
    if role != accounts.UNIT_MEMBER:
        return accounts.ROLES[role]
    profile = getattr(account, "profile", None)
    if profile is None or profile.unit_id is None:
        return _("No role")
    return _("Unit head") if profile.is_unit_head else _("Unit operator")


def _from_official(request, government):
    """The form's first values taken from an official (``?official=<id>``), so a head's
    name and unit are typed once: when the official was recorded."""
    official_id = parse_id(request.GET.get("official"))
    if official_id is None:
        return {}
    official = get_object_or_404(
        officials_visible_to(request.user).filter(unit__government=government), pk=official_id
    )
    return {
        "full_name": official.name,
        "role": accounts.UNIT_MEMBER,
        "unit": official.unit_id,
        "is_unit_head": official.is_head,
    }


@login_required
def user_create(request):
    """Invite a person: an account in a unit with a role, and an email to set a password."""
    if not accounts.manages_accounts(request.user):
        raise PermissionDenied
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("New account"))
    form = InviteForm(
        request.POST or None,
        units=_units_of(government),
        initial=_from_official(request, government),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = accounts.invite_user(
                actor=request.user,
                government=government,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                role=data["role"],
                is_unit_head=data["is_unit_head"],
                reason=data["reason"],
                request_or_site_url=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The account %(user)s was created.") % {"user": invitation.user.username},
            )
            tell_about_invitation(request, invitation)
            return redirect("user-detail", pk=invitation.user.pk)
    return render(
        request,
        "tracker/user_form.html",
        {"form": form, "government": government, "account": None, "title": _("New account")},
    )


@login_required
def user_detail(request, pk):
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    profile = getattr(account, "profile", None)
    return render(
        request,
        "tracker/user_detail.html",
        {
            "account": account,
            "profile": profile,
            "role_label": _role_label(account),
            "invited": not account.has_usable_password(),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
def user_edit(request, pk):
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    profile = getattr(account, "profile", None)
    if profile is None:
        messages.error(
            request,
            _("This account belongs to no government; only the Django administration edits it."),
        )
        return redirect("user-detail", pk=account.pk)
    form = AccountForm(
        request.POST or None,
        account=account,
        units=_units_of(profile.government, keep=profile.unit_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = accounts.update_account(
                account,
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                unit=data["unit"],
                is_unit_head=data["is_unit_head"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("user-detail", pk=account.pk)
    return render(
        request,
        "tracker/user_form.html",
        {
            "form": form,
            "government": profile.government,
            "account": account,
            "title": _("Edit the account %(user)s") % {"user": account.username},
        },
    )


@login_required
def user_set_active(request, pk, active):
    """Deactivate (signs in to nothing) or reactivate an account, with a reason."""
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    if account.is_active == active:
        messages.info(request, _("Nothing to do: the account is already in that state."))
        return redirect("user-detail", pk=account.pk)
    if not active and account.pk == request.user.pk:
        messages.error(
            request, _("You cannot deactivate your own account; ask another Administrator.")
        )
        return redirect("user-detail", pk=account.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.set_account_active(
                account, actor=request.user, active=active, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if active:
                messages.success(request, _("%(user)s is active again.") % {"user": account})
            else:
                messages.success(request, _("%(user)s is deactivated.") % {"user": account})
            return redirect("user-detail", pk=account.pk)
    if active:
        title = _("Reactivate the account %(user)s") % {"user": account.username}
        explanation = _("The person signs in again with their own password.")
    else:
        title = _("Deactivate the account %(user)s") % {"user": account.username}
        explanation = _(
            "The person can no longer sign in. Nothing they did is lost: the history "
            "keeps their name. Reactivate the account when they return."
        )
    return reason_form_page(
        request,
        form,
        title=title,
        explanation=explanation,
        confirm="" if active else _("Deactivate %(user)s?") % {"user": account.username},
        back=account,
        back_url_name="user-detail",
    )


@login_required
@require_POST
def user_invite_resend(request, pk):
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    try:
        invitation = accounts.resend_invitation(
            account, actor=request.user, request_or_site_url=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        tell_about_invitation(request, invitation)
    return redirect("user-detail", pk=account.pk)


# --- One's own account ---------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (current password, new one twice), back to the account."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def email_change(request):
    """One's own email address (where "forgot password" links go), with the password."""
    form = EmailChangeForm(request.user, request.POST or None, initial={"email": ""})
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_own_email(request.user, email=form.cleaned_data["email"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your email address was changed."))
            return redirect("account")
    return render(request, "tracker/account_email.html", {"form": form})


# "Forgot password?": Django's four views, in the site's layout. An invited account's
# link (tracker.accounts) leads to the same confirmation page.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=ResetPasswordForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
