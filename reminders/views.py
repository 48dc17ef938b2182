"""The leave-day page: a government's collective leave days (cuti bersama).

Everyone of the government reads the list; the Administrator (and a superuser)
records and removes days (``tracker.policy``). Another government's day is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders import calendar_services
from reminders.forms import LeaveDayForm, YearFilterForm
from tracker import policy
from tracker.formatting import format_date_id
from tracker.forms import add_service_errors
from tracker.models import LeaveDay
from tracker.new_records import choose_government, government_for_new
from tracker.organisation_forms import ReasonForm
from tracker.pages import get_changeable
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = calendar_services.add_leave_day(
                actor=request.user,
                government=government,
                date=data["date"],
                name=data["name"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(date)s was recorded as a leave day.") % {"date": _date_text(day.date)},
            )
            return redirect(f"{_list_url()}?year={day.date.year}")
    return render(
        request,
        "reminders/leave_day_form.html",
        {"form": form, "government": government, "title": title},
    )


@login_required
def leave_day_delete(request, pk):
    day = get_changeable(request.user, leave_days_visible_to(request.user), pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_services.delete_leave_day(
                day, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(date)s is no longer a leave day.") % {"date": _date_text(day.date)},
            )
            return redirect(f"{_list_url()}?year={day.date.year}")
    return render(
        request,
        "reminders/leave_day_delete.html",
        {"form": form, "day": day, "date_text": _date_text(day.date)},
    )


def _list_url():
    return reverse("leave-day-list")


def _date_text(day):
    return format_date_id(day)
