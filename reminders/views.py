"""The leave-day page: a government's collective leave days (cuti bersama).

Everyone of the government reads the list; the Administrator (and a superuser)
records and removes days (``tracker.policy``). Another government's day is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders import calendar_services, deadline_services
from reminders.forms import ExtensionForm, LeaveDayForm, YearFilterForm
from reminders.models import DeadlineExtension
from tracker import policy
from tracker.formatting import format_date_id
from tracker.forms import add_service_errors, parse_id
from tracker.models import LeaveDay, Unit
from tracker.new_records import choose_government, government_for_new
from tracker.organisation_forms import ReasonForm
from tracker.pages import get_changeable, service_form_page
from tracker.working_days import public_holidays

PAGE_SIZE = 25


def leave_days_visible_to(user):
    """Leave days the user may see (their government's), newest first."""
    return policy.visible(user, LeaveDay.objects.select_related("government")).order_by(
        "-date", "government__name"
    )


@login_required
def leave_day_list(request):
    days = leave_days_visible_to(request.user)
    this_year = timezone.localdate().year
    recorded = {d.year for d in days.dates("date", "year")}
    years = sorted(recorded | {this_year, this_year + 1}, reverse=True)
    filter_form = YearFilterForm(request.GET or None, years=years)
    year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
    if year:
        days = days.filter(date__year=year)
    page = Paginator(days, PAGE_SIZE).get_page(request.GET.get("page"))
    holidays = sorted(public_holidays(year).items()) if year else []
    return render(
        request,
        "reminders/leave_day_list.html",
        {
            "filter_form": filter_form,
            "year": year,
            "page_obj": page,
            "object_list": page.object_list,
            "public_holidays": [(d, name) for d, name in holidays if d.weekday() < 5],
            "can_change": policy.can_change(request.user, LeaveDay),
            "several_governments": request.user.is_superuser,
        },
    )


@login_required
def leave_day_create(request):
    if not policy.can_change(request.user, LeaveDay):
        raise PermissionDenied
    government = government_for_new(request)
    title = _("New collective leave day")
    if government is None:
        return choose_government(request, title)
    form = LeaveDayForm(request.POST or None)

    def save(data):
        day = calendar_services.add_leave_day(
            actor=request.user,
            government=government,
            date=data["date"],
            name=data["name"],
            reason=data["reason"],
        )
        messages.success(
            request, _("%(date)s was recorded as a leave day.") % {"date": _date_text(day.date)}
        )
        return redirect(f"{_list_url()}?year={day.date.year}")

    context = {"government": government, "title": title}
    return service_form_page(request, form, save, "reminders/leave_day_form.html", context)


@login_required
def leave_day_delete(request, pk):
    day = get_changeable(request.user, leave_days_visible_to(request.user), pk)
    form = ReasonForm(request.POST or None)

    def save(data):
        calendar_services.delete_leave_day(day, actor=request.user, reason=data["reason"])
        messages.success(
            request, _("%(date)s is no longer a leave day.") % {"date": _date_text(day.date)}
        )
        return redirect(f"{_list_url()}?year={day.date.year}")

    context = {"day": day, "date_text": _date_text(day.date)}
    return service_form_page(request, form, save, "reminders/leave_day_delete.html", context)


def _list_url():
    return reverse("leave-day-list")


def _date_text(day):
    return format_date_id(day)


# --- Deadline extensions of a period -----------------------------------------------------


@login_required
def extension_list(request, pk):
    """A period's deadline extensions; Bappeda and the Administrator add one here.

    The period comes through the visible-to-user periods (another government's
    is a 404); everyone of the government reads the list.
    """
    from programs.selectors import periods_of

    user = request.user
    period = get_object_or_404(periods_of(user), pk=pk)
    can_change = policy.can_change(user, DeadlineExtension) and not period.is_locked
    units = Unit.objects.filter(government_id=period.government_id, is_active=True).exclude(
        kind=Unit.Kind.ASDA
    )
    form = ExtensionForm(request.POST or None, units=units, initial=_initial(request, units))
    if request.method == "POST":
        if not policy.can_change(user, DeadlineExtension):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                deadline_services.extend_deadline(
                    period,
                    actor=user,
                    unit=data["unit"],
                    submission_deadline=data["submission_deadline"],
                    verification_deadline=data["verification_deadline"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The deadline of %(who)s for %(period)s is now %(deadline)s.")
                    % {
                        "who": data["unit"] or _("every unit"),
                        "period": period,
                        "deadline": format_date_id(data["submission_deadline"]),
                    },
                )
                return redirect("deadline-extension-list", pk=period.pk)
    extensions = policy.visible(
        user, DeadlineExtension.objects.filter(period=period).select_related("unit")
    ).order_by(F("unit__name").asc(nulls_first=True))
    page = Paginator(extensions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/extension_list.html",
        {
            "period": period,
            "form": form,
            "can_change": can_change,
            "page_obj": page,
            "object_list": page.object_list,
        },
    )


def _initial(request, units):
    # "?unit=<id>" (from a unit's row elsewhere) preselects the unit.
    unit_id = parse_id(request.GET.get("unit"))
    return {"unit": units.filter(pk=unit_id).first()} if unit_id else {}
