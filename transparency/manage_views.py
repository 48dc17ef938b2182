"""The pages where a government decides what is public: its Administrator publishes
the page and writes its introduction; Bappeda chooses the reports on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.models import GeneratedReport
from reports.selectors import visible
from tracker import policy
from tracker.models import Government
from transparency import services
from transparency.forms import IntroForm, ReasonForm, ReportFilterForm
from transparency.models import PublicPage, PublishedReport


def _managed_government(request):
    """The government whose page the user manages: their own; a superuser picks one
    (``?pemerintah=<region code>``, by default the first)."""
    actor = policy.actor_for(request.user)
    if actor.role == policy.Role.SUPERUSER:
        code = request.GET.get("pemerintah") or request.POST.get("pemerintah")
        governments = Government.objects.order_by("name")
        return (governments.filter(region_code=code).first() if code else None) or (
            governments.first()
        )
    if not policy.can_change(request.user, PublicPage):
        raise PermissionDenied
    return Government.objects.get(pk=actor.government_id)


def _refused(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


@login_required
def page_settings(request):
    """Publish or withdraw the public page (with a reason), edit its introduction."""
    government = _managed_government(request)
    page = services.page_of(government)
    reason_form = ReasonForm(prefix="toggle")
    intro_form = IntroForm(prefix="intro", initial={"intro": page.intro})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("publish", "unpublish"):
                reason_form = ReasonForm(request.POST, prefix="toggle")
                if reason_form.is_valid():
                    change = (
                        services.publish_page if action == "publish" else (services.unpublish_page)
                    )
                    change(
                        actor=request.user,
                        government=government,
                        reason=reason_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("The public page is online.")
                        if action == "publish"
                        else _("The public page is offline."),
                    )
                    return redirect(_settings_url(request, government))
            elif action == "intro":
                intro_form = IntroForm(request.POST, prefix="intro")
                if intro_form.is_valid():
                    services.set_intro(
                        actor=request.user, government=government, **intro_form.cleaned_data
                    )
                    messages.success(request, _("The introduction is saved."))
                    return redirect(_settings_url(request, government))
        except ValidationError as error:
            _refused(request, error)
    return render(
        request,
        "transparency/settings.html",
        {
            "government": government,
            "page": page,
            "public_url": request.build_absolute_uri(
                reverse("public-page", args=[government.region_code])
            ),
            "reason_form": reason_form,
            "intro_form": intro_form,
            "is_superuser": request.user.is_superuser,
            "governments": Government.objects.order_by("name") if request.user.is_superuser else [],
        },
        status=400 if (reason_form.errors or intro_form.errors) else 200,
    )


def _settings_url(request, government):
    url = reverse("transparency-settings")
    return f"{url}?pemerintah={government.region_code}" if request.user.is_superuser else url


def _require_publisher(user):
    if not policy.can_change(user, PublishedReport):
        raise PermissionDenied


@login_required
def report_list(request):
    """The issued reports the user sees, with publish and withdraw buttons (Bappeda)."""
    _require_publisher(request.user)
    reports = visible(
        request.user,
        GeneratedReport.objects.select_related("unit", "government", "publication"),
    )
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["year"]:
            reports = reports.filter(year=filters.cleaned_data["year"])
        shown = filters.cleaned_data["published"]
        if shown:
            reports = reports.filter(publication__isnull=shown == "no")
    page_obj = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/report_list.html",
        {"page_obj": page_obj, "filters": filters, "form": ReasonForm()},
    )


@login_required
@require_POST
def report_publication(request, pk, action):
    """Publish (``terbitkan``) or withdraw (``tarik``) one report, with a reason."""
    if action not in ("terbitkan", "tarik"):
        raise Http404
    report = get_object_or_404(visible(request.user, GeneratedReport.objects.all()), pk=pk)
    _require_publisher(request.user)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _refused(request, ValidationError(_("Give a reason; it is kept in the history.")))
        return redirect("transparency-reports")
    change = services.publish_report if action == "terbitkan" else services.unpublish_report
    try:
        change(actor=request.user, report=report, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            (
                _("%(report)s is on the public page.")
                if action == "terbitkan"
                else _("%(report)s is no longer on the public page.")
            )
            % {"report": report.title},
        )
    return redirect("transparency-reports")
