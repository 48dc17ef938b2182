"""Reporting periods: Bappeda opens a quarter (warned and offered new deadlines when
it opens late) and locks it once verification is over."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import selectors, services
from programs.forms import PeriodForm
from programs.models import ReportingPeriod
from reminders.deadlines import extensions_for_all
from reminders.opening import LateOpening
from tracker import policy
from tracker.forms import add_service_errors
from tracker.models import Government


@login_required
def periods(request):
    """Reporting periods: Bappeda opens a quarter and locks it once verification is over.

    Opening asks first: the first POST only shows how many report tasks the
    quarter gives to how many units (the programs running in it); the
    confirmed POST (``confirm``) opens it.
    """
    user = request.user
    can_manage = policy.can_change(user, ReportingPeriod)
    form = PeriodForm(request.POST or None)
    preview = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        actor = policy.actor_for(user)
        government = Government.objects.filter(pk=actor.government_id).first()
        if government is None:
            messages.error(request, _("Only a government's Bappeda opens its periods."))
        elif form.is_valid():
            year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
            label = str(ReportingPeriod(year=year, quarter=quarter))
            if ReportingPeriod.objects.filter(
                government=government, year=year, quarter=quarter
            ).exists():
                form.add_error(None, _("%(period)s is already open.") % {"period": label})
            else:
                # Past its deadline already? Then warn and propose new deadlines.
                confirmed = "confirm" in request.POST
                late = LateOpening(
                    government, year, quarter, data=request.POST if confirmed else None
                )
                tasks, units = selectors.opening_preview(government, year, quarter)
                preview = {"label": label, "tasks": tasks, "units": units, "late": late}
                if confirmed:
                    try:
                        late.open(actor=user)
                    except ValidationError as error:
                        if not late.form.errors:  # else the new deadlines show why
                            add_service_errors(form, error)
                            preview = None
                    else:
                        messages.success(request, _("The period was opened."))
                        return redirect("period-list")
    return render(
        request,
        "programs/period_list.html",
        {
            "periods": selectors.periods_of(user).prefetch_related(extensions_for_all()),
            "form": form,
            "can_manage": can_manage,
            "preview": preview,
        },
    )


@login_required
@require_POST
def period_lock(request, pk):
    user = request.user
    period = get_object_or_404(selectors.periods_of(user), pk=pk)
    if not policy.can_change(user, period):
        raise PermissionDenied
    try:
        services.lock_period(period, actor=user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(period)s is locked.") % {"period": period})
    return redirect("period-list")
