"""A person's notices: the list (newest first), opening one, marking read, and how
they want them emailed. Each person sees only their own: another's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from notices import services
from notices.forms import PreferenceForm
from notices.models import Notice, NoticePreference

PAGE_SIZE = 25


def notices_of(user):
    """The user's own notices, newest first."""
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")


@login_required
def notice_list(request):
    unread_only = request.GET.get("belum") == "1"
    notices = notices_of(request.user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/notice_list.html",
        {"page_obj": page, "object_list": page.object_list, "unread_only": unread_only},
    )


@login_required
def notice_open(request, pk):
    """Mark the notice read and go to what it is about (marking read is idempotent)."""
    notice = get_object_or_404(notices_of(request.user), pk=pk)
    services.mark_read(notice, actor=request.user)
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notice-list")


@login_required
@require_POST
def notice_read(request, pk):
    notice = get_object_or_404(notices_of(request.user), pk=pk)
    services.mark_read(notice, actor=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notice_read_all(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext("%(count)s notice marked read.", "%(count)s notices marked read.", count)
        % {"count": count},
    )
    return redirect(_back(request))


def _back(request):
    # Back to the page of the list the form was on, never elsewhere.
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return "notice-list"


@login_required
def notice_settings(request):
    """One email per notice, or one a day (the person's own choice)."""
    preference = NoticePreference.objects.filter(user=request.user).first()
    form = PreferenceForm(
        request.POST or None,
        initial={"daily_digest": bool(preference and preference.daily_digest)},
    )
    if request.method == "POST" and form.is_valid():
        services.set_daily_digest(
            request.user, actor=request.user, daily_digest=form.cleaned_data["daily_digest"]
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("notice-settings")
    return render(request, "notices/notice_settings.html", {"form": form})
