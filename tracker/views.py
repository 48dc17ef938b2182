"""Pages of the core: home, units, officials, the history of any record, and the account.

The pages that change units and officials are in ``organisation_views.py``; accounts,
passwords and email in ``account_views.py``.
"""

import base64

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from tracker import data_version, policy
from tracker.filters import OfficialFilter, UnitFilter
from tracker.history import object_history
from tracker.models import Official, Profile, Unit
from tracker.selectors import (
    heads_on,
    officials_visible_to,
    profiles_visible_to,
    unit_with_officials,
    units_visible_to,
)

PAGE_SIZE = 25


class HomeView(LoginRequiredMixin, TemplateView):
    """Tells each role what to do next."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        # The home page assembles the apps' summaries, so it may import them.
        from commitments.selectors import commitments_visible_to, commitments_with_counts
        from programs.selectors import plans_visible_to

        context = super().get_context_data(**kwargs)
        user = self.request.user
        actor = policy.actor_for(user)
        context["role"] = actor.role

        def summary():
            parts = {
                "plans": list(plans_visible_to(user)[:5]),
                # Open commitments and, within the user's scope, how many have not signed yet.
                "open_commitments": list(
                    commitments_with_counts(
                        commitments_visible_to(user).filter(state="open"), units=actor.unit_ids
                    ).order_by("-date")[:5]
                ),
                "units_count": units_visible_to(user).count(),
            }
            if actor.unit_id:
                parts["own_unit"] = units_visible_to(user).filter(pk=actor.unit_id).first()
            return parts

        # The same for everyone with this scope: cached per government data version.
        context.update(
            data_version.cached(
                data_version.government_of_user(user),
                (data_version.scope_key(user), "home"),
                summary,
            )
        )
        if actor.role in policy.UNIT_ROLES:
            context["tasks"] = _task_summary(user)
        if actor.role in policy.GOVERNMENT_WIDE_ROLES:
            context["monitoring"] = _monitoring_summary(user)
        return context


def _monitoring_summary(user):
    """For Bappeda, the Administrator and leadership: the current quarter's reports
    waiting, missing and late, and its overdue milestones; cached per government
    data version, scope, quarter and day (the numbers each link to their list)."""
    from programs.monitoring import home_counts
    from programs.selectors import current_period

    period = current_period(user)
    if period is None:
        return None
    counts = data_version.cached(
        data_version.government_of_user(user),
        data_version.page_parts(user, "home-monitoring", period.pk),
        lambda: home_counts(user, period),
    )
    return {"period": period, "is_reviewer": policy.is_reviewer(user), **counts}


def _task_summary(user):
    """For a unit member's home page: this quarter's reports still to send, and returned ones."""
    from programs.selectors import current_period, my_tasks_cached

    period = current_period(user)
    if period is None:
        return None
    rows, returned = my_tasks_cached(user, period)
    to_write = sum(1 for _program, report in rows if report is None or report.is_editable)
    return {"period": period, "to_write": to_write, "returned": len(returned)}


class UnitListView(LoginRequiredMixin, FilterView):
    filterset_class = UnitFilter
    template_name = "tracker/unit_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return units_visible_to(self.request.user).order_by("kind", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = policy.can_change(self.request.user, Unit)
        units = context["object_list"]
        heads = heads_on([unit.pk for unit in units], timezone.localdate())
        for unit in units:
            unit.head_today = heads.get(unit.pk)
        return context


class UnitDetailView(LoginRequiredMixin, DetailView):
    template_name = "tracker/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return unit_with_officials(units_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        officials = list(self.object.officials.all())
        context["current_officials"] = [
            o
            for o in officials
            if o.start_date <= today and (not o.end_date or o.end_date >= today)
        ]
        context["past_officials"] = [o for o in officials if o not in context["current_officials"]]
        context["coordinated"] = units_visible_to(self.request.user).filter(coordinator=self.object)
        context["can_change"] = policy.can_change(self.request.user, Unit)
        return context


class OfficialListView(LoginRequiredMixin, FilterView):
    filterset_class = OfficialFilter
    template_name = "tracker/official_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return officials_visible_to(self.request.user).order_by("unit__name", "-is_head", "name")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["units"] = units_visible_to(self.request.user).order_by("name")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = policy.can_change(self.request.user, Official)
        return context


class OfficialDetailView(LoginRequiredMixin, DetailView):
    template_name = "tracker/official_detail.html"
    context_object_name = "official"

    def get_queryset(self):
        return officials_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = policy.can_change(self.request.user, Official)
        return context


def history_view(request, app_label, model_name, pk):
    """Who changed what, when, old -> new and why, for one record the user may see."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model is Profile:
        # Accounts are outside the policy: their managers see a profile's history.
        visible = profiles_visible_to(request.user)
    elif model in policy.registered_models() and hasattr(model, "history"):
        visible = policy.visible(request.user, model._default_manager.all())
    else:
        raise Http404
    obj = get_object_or_404(visible, pk=pk)
    # A report's or a program's history also holds the changes of its rows
    # (realisations, evidence, milestones, budgets, linked units and indicators).
    entries = object_history(obj)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracker/history.html",
        {"object": obj, "model_name": model._meta.verbose_name, "page_obj": page},
    )


# Signing in: the lockout page (django-axes) and two-factor sign-in (django-otp, TOTP).


def lockout(request, original_response=None, credentials=None):
    """What a user name + address locked out by django-axes gets instead of the login page.

    Named in settings.AXES_LOCKOUT_CALLABLE. Every new try during the lockout
    starts the wait again, so "after" is counted from now.
    """
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "retry_at": timezone.now() + cool_off if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=429)


class OneTimeCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_otp_token(self):
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the digits shown by the app."))
        return token


def _next_url(request, default="home"):
    """The ``next`` the user came with, if it points into this site; else ``default``.

    ``default`` is a URL name, or None for "" (the form then keeps no ``next``).
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default) if default else ""


def _confirmed_devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def _qr_code_data_uri(text):
    """The QR code of ``text`` as an SVG data: URI, drawn with reportlab's QR encoder.

    Served inline: no request to anywhere, and the Content-Security-Policy
    allows data: images.
    """
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    quiet = 4
    size = count + 2 * quiet
    path = "".join(
        f"M{col + quiet},{row + quiet}h1v1h-1z"
        for row in range(count)
        for col in range(count)
        if qr.isDark(row, col)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def account_view(request):
    """The user's own account: who they are, email and password, two-factor sign-in."""
    from tracker.middleware import two_factor_required

    profile = Profile.objects.filter(user=request.user).select_related("government", "unit")
    return render(
        request,
        "tracker/account.html",
        {
            "profile": profile.first(),
            "devices": list(_confirmed_devices(request.user)),
            "required": two_factor_required(request.user),
            "form": OneTimeCodeForm(),
        },
    )


@login_required
def two_factor_setup(request):
    """Pair an authenticator app: scan the QR code (or type the key), enter a code.

    The secret is kept in an unconfirmed device until a correct code confirms
    it; a user who already has a confirmed device removes it first.
    """
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    if _confirmed_devices(user).exists():
        messages.info(request, _("Two-factor sign-in is already set up."))
        return redirect("account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            # A new session key for the new privilege: a key fixed before the
            # code (session fixation) does not become a verified session.
            request.session.cycle_key()
            django_otp.login(request, device)
            messages.success(request, _("Two-factor sign-in is on. Keep the app on your phone."))
            return redirect(_next_url(request))
        form.add_error("otp_token", _("That code is wrong or too old. Enter the current one."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "tracker/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request, default=None),
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_verify(request):
    """After the password: the code from the authenticator app, once per session."""
    import django_otp

    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not _confirmed_devices(user).exists():
        return redirect_to_login(_next_url(request), reverse("two-factor-setup"))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in _confirmed_devices(user):
            # TOTPDevice.verify_token throttles: each failure doubles the wait.
            if device.verify_token(form.cleaned_data["otp_token"]):
                request.session.cycle_key()  # as above: a verified session gets a new key
                django_otp.login(request, device)
                return redirect(_next_url(request))
        form.add_error("otp_token", _("That code is wrong or too old. Enter the current one."))
    return render(
        request,
        "tracker/two_factor_verify.html",
        {"form": form, "next": _next_url(request, default="")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def two_factor_remove(request):
    """Turn two-factor sign-in off, with a current code; not for those who must keep it."""
    from tracker.middleware import two_factor_required

    user = request.user
    if two_factor_required(user):
        messages.error(
            request, _("Your role requires two-factor sign-in; ask the Administrator to reset it.")
        )
        return redirect("account")
    form = OneTimeCodeForm(request.POST)
    devices = list(_confirmed_devices(user))
    if form.is_valid() and any(d.verify_token(form.cleaned_data["otp_token"]) for d in devices):
        for device in devices:
            device.delete()
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _("That code is wrong or too old. Enter the current one."))
    return redirect("account")
