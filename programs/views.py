"""Pages of the programs app: the RPJMD plan (read-only), commitment programs,
my tasks and the monitoring dashboard. Reporting periods are in ``period_views.py``;
a report's own pages and the verification queue in ``report_views.py`` and
``review_views.py``.

Every record is fetched through a visible-to-user selector (missing or
forbidden: 404); every write asks the policy and calls a service.
"""

from crispy_forms.utils import render_crispy_form
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from commitments.selectors import commitments_visible_to
from programs import charts, dashboard_export, monitoring, selectors, status, trends
from programs.filters import ProgramFilter
from programs.models import Program, ProgressReport
from programs.selectors import indicators_visible_to, plan_tree, plans_visible_to
from reminders.deadlines import submission_deadline
from tracker import data_version, policy
from tracker.achievement import predicate_label
from tracker.formatting import format_quarter
from tracker.forms import parse_id
from tracker.selectors import units_visible_to


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "programs/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        return plans_visible_to(self.request.user)


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "programs/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return plans_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missions"] = plan_tree(self.object)
        context["years"] = self.object.years
        return context


QUARTERS = (1, 2, 3, 4)


class IndicatorDetailView(LoginRequiredMixin, DetailView):
    template_name = "programs/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        return indicators_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        # The verified realisations the dashboard counts, by the same rules over
        # the same programs (every one the user may see), so the figures agree;
        # read once for every plan year (programs.trends), for the table and the chart.
        visible = selectors.programs_visible_to(self.request.user).select_related(None).only("pk")
        trend = trends.indicator_trend(indicator, programs=list(visible))
        context["rows"] = [
            (
                year.year,
                year.target,
                {
                    "realisation": year.realisation,
                    "target": year.target_value,
                    "achievement": year.achievement,
                    "quarters": year.quarters,
                },
                [year.quarters.get(quarter) for quarter in QUARTERS],
            )
            for year in trend.years
        ]
        context["trend_chart"] = trends.indicator_chart(
            trend, chart_id="trend-indicator", title=_("Verified realisation by quarter")
        )
        context["quarters"] = [format_quarter(quarter) for quarter in QUARTERS]
        context["linked_programs"] = visible.filter(indicators=indicator).count()
        # The programs' own targets (the rpjmd app's) and, for a summed indicator,
        # the years where they do not add up to the plan's.
        from rpjmd import program_targets

        user = self.request.user
        context["own_targets"] = list(
            program_targets.targets_visible_to(user)
            .filter(indicator=indicator)
            .order_by("program__title", "year")
        )
        figures = policy.sees_whole_government(user)
        context["target_warnings"] = [
            found.text(figures=figures) for found in program_targets.summed_mismatches([indicator])
        ]
        return context


# --- Commitment programs, quarterly progress, verification and monitoring -----------------


def period_from(request, user):
    """The period chosen with ?periode=<id>, else the current one."""
    periods = selectors.periods_of(user)
    chosen = parse_id(request.GET.get("periode"))  # anything but an id is ignored
    if chosen is not None:
        return get_object_or_404(periods, pk=chosen)
    return selectors.current_period(user)


@login_required
def my_tasks(request):
    """Tugas saya: this quarter's reports to write or fix, and returned reports with the reason."""
    period = period_from(request, request.user)
    rows, returned = selectors.my_tasks_cached(request.user, period) if period else ([], [])
    return render(
        request,
        "programs/my_tasks.html",
        {
            "period": period,
            "periods": selectors.periods_of(request.user)[:12],
            "rows": rows,
            "returned": returned,
            # The user's unit's deadline: an extension granted to it (or to all) counts.
            "deadline": submission_deadline(policy.actor_for(request.user).unit_id, period)
            if period
            else None,
            "today": timezone.localdate(),
        },
    )


class ProgramListView(LoginRequiredMixin, FilterView):
    filterset_class = ProgramFilter
    template_name = "programs/program_list.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            selectors.programs_visible_to(self.request.user)
            .prefetch_related("categories")
            .order_by("owner_unit__name", "title")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        user = self.request.user
        self.period = period_from(self.request, user)
        kwargs["units"] = units_visible_to(user).order_by("name")
        kwargs["commitments"] = commitments_visible_to(user)
        kwargs["statuses"] = self._statuses
        return kwargs

    def _statuses(self):
        """Map program id -> status in the chosen quarter, of every program the user sees.

        Cached per government data version, scope, quarter and day: the status
        filter, the page's badges and the Excel export read the same map.
        """
        if not hasattr(self, "_status_map"):
            user = self.request.user
            if self.period is None:
                self._status_map = {}
            else:
                period = self.period

                def compute():
                    programs = selectors.programs_visible_to(user)
                    return {
                        pk: state
                        for pk, (state, _rows) in selectors.program_statuses(
                            programs, period
                        ).items()
                    }

                self._status_map = data_version.cached(
                    data_version.government_of_user(user),
                    data_version.page_parts(user, "program-statuses", period.pk),
                    compute,
                )
        return self._status_map

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = policy.can_change(user, Program)
        context["period"] = self.period
        context["periods"] = selectors.periods_of(user)[:12]
        government_id = data_version.government_of_user(user)
        query = sorted((k, v) for k, v in self.request.GET.lists() if k != "page")
        # The filter form shows only the query's values and the scope's choices
        # (units, commitments, quarters) and carries no CSRF token (a GET form).
        context["filter_form"] = data_version.cached(
            government_id,
            data_version.page_parts(user, "program-filter", query),
            lambda: render_crispy_form(context["filter"].form),
        )

        def table():
            statuses = self._statuses()
            page = context["object_list"]
            for program in page:
                program.status = statuses.get(program.pk, status.NOT_STARTED)
                program.status_label = status.LABELS[program.status]
            return render_to_string(
                "programs/includes/program_table.html",
                {
                    **{k: context[k] for k in ("object_list", "paginator", "page_obj", "period")},
                    # The pagination links repeat the query, nothing else of the request.
                    "request": {"GET": self.request.GET},
                },
            )

        # The rows of this page of this query: the page's programs are read only on a miss.
        page_number = self.request.GET.get("page", "")
        context["table"] = data_version.cached(
            government_id,
            data_version.page_parts(user, "program-table", query, page_number),
            table,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        from programs import list_exports  # the Excel export of the same filtered list

        if list_exports.wants_xlsx(self.request):
            return list_exports.programs_response(
                self.object_list, period=self.period, statuses=self._statuses()
            )
        return super().render_to_response(context, **response_kwargs)


@login_required
def program_detail(request, pk):
    """A program: milestones with their status in the chosen quarter, indicators,
    budgets and reports. The body is rendered without the request and cached per
    government data version, scope, quarter, language and day."""
    user = request.user
    program = get_object_or_404(selectors.programs_visible_to(user), pk=pk)
    period = period_from(request, user)
    parts = data_version.page_parts(user, "program-detail", program.pk, period and period.pk)
    government_id = data_version.government_of_user(user)

    def details():
        return data_version.cached(
            government_id,
            ("program-detail-data", *parts),
            lambda: _detail_context(user, program, period),
        )

    def body():
        return render_to_string("programs/includes/program_detail_body.html", details())

    html = data_version.cached(government_id, ("program-detail-body", *parts), body)
    context = {"program": program, "period": period, "body": mark_safe(html)}  # noqa: S308
    # The figures, for whoever asks for them (tests): read only when asked.
    for name in ("status", "milestones", "indicators", "reports", "can_write", "can_manage"):
        context[name] = SimpleLazyObject(lambda name=name: details()[name])
    return render(request, "programs/program_detail.html", context)


def _detail_context(user, program, period):
    """What the program page's body shows (plain data: it is cached)."""
    if period is not None:
        program_status, milestones = selectors.program_statuses([program], period)[program.pk]
    else:
        # No quarter opened yet: the planned milestones, with no progress reported.
        program_status, milestones = None, selectors.planned_milestones(program)
    reports = list(
        program.reports.select_related("period", "verified_by").order_by(
            "-period__year", "-period__quarter"
        )
    )
    indicators = list(program.indicators.select_related("plan"))
    # A page that assembles apps: the program's own targets are the rpjmd app's.
    from rpjmd import program_targets
    from rpjmd.models import ProgramTarget

    target_rows, target_warnings = program_targets.program_target_rows(user, program, indicators)
    year = period.year if period else timezone.localdate().year
    achievements = selectors.indicator_achievements(indicators, year, programs=[program])
    runs = period is not None and selectors.is_active_in(program, period)
    timeline = _timeline(program, milestones)
    trend = trends.program_trend(
        program, milestones=[m for m, _p, _s in milestones], indicators=indicators
    )
    labelled = [(m, p, s, status.LABELS[s]) for m, p, s in milestones]
    return {
        "program": program,
        "period": period,
        "status": program_status,
        "status_label": status.LABELS.get(program_status, ""),
        "milestones": labelled,
        # Each milestone with its timeline bar (one loop in the template, not two).
        "milestone_rows": [(*row, bar) for row, bar in zip(labelled, timeline, strict=True)],
        "timeline": timeline,
        "reports": reports,
        "indicators": [(i, achievements[i.pk]) for i in indicators],
        "year": year,
        "can_write": runs and policy.can_change(user, ProgressReport(program=program)),
        "runs_in_period": runs,
        # Setting a program up is Bappeda's (the owner unit writes only its reports).
        "can_manage": policy.can_change(user, Program),
        "can_set_targets": policy.can_change(user, ProgramTarget),
        "target_rows": target_rows,
        "target_warnings": target_warnings,
        "budgets": list(program.budgets.order_by("year")),
        "adoption": list(program.adoption_indicators.all()),
        "categories": list(program.categories.all()),
        "supporting_units": list(program.supporting_units.all()),
        "progress_chart": trends.program_chart(
            trend, chart_id="trend-progress", title=_("Verified progress by quarter")
        ),
        "indicator_charts": [
            trends.indicator_chart(
                found,
                chart_id=f"trend-indicator-{found.indicator.pk}",
                title=f"{found.indicator.code} {found.indicator.name}",
            )
            for found in trend.indicators
        ],
    }


def _timeline(program, milestones):
    """Left offset and width (in %) of each milestone bar within the program's dates."""
    total = max((program.end_date - program.start_date).days, 1)
    bars = []
    for milestone, percent, state in milestones:
        left = (milestone.planned_start - program.start_date).days * 100 / total
        width = max((milestone.planned_finish - milestone.planned_start).days * 100 / total, 1)
        bars.append(
            {
                "milestone": milestone,
                "left": round(left, 2),
                "width": round(width, 2),
                "percent": percent or 0,
                "state": state,
            }
        )
    return bars


MONITOR_ROLES = policy.REVIEWER_ROLES | {policy.Role.PIMPINAN, policy.Role.ASDA}
LATE_ON_DASHBOARD = 15  # the rest are one click away, on the late-milestones page


def _not_a_monitor(request):
    """``None`` if the user may see the dashboard; else a 403 page saying where to go."""
    actor = policy.actor_for(request.user)
    if actor.role in MONITOR_ROLES:
        return None
    own_unit = actor.unit_id if actor.role in policy.UNIT_ROLES else None
    return render(request, "programs/dashboard_forbidden.html", {"own_unit": own_unit}, status=403)


@login_required
def dashboard(request):
    """Monitoring for Bappeda and leadership: compliance, status, overdue, achievement.

    ``?format=xlsx`` sends the tables (by unit, late milestones) as a workbook.
    The page's body is rendered without the request and cached per government
    data version, scope, quarter, language and day (``tracker.data_version``);
    the figures themselves are read (or taken from the cache) only on a miss.
    """
    user = request.user
    if (refusal := _not_a_monitor(request)) is not None:
        return refusal
    period = period_from(request, user)
    context = {"period": period, "periods": selectors.periods_of(user)[:12]}
    if period is not None:
        government_id = data_version.government_of_user(user)
        parts = data_version.page_parts(user, "dashboard", period.pk)

        def summary():
            return data_version.cached(
                government_id,
                ("dashboard-data", *parts),
                lambda: monitoring.dashboard(user, period),
            )

        on = selectors.status_date(period)
        if request.GET.get("format") == "xlsx":
            data = summary()
            return _workbook_response(period, data["by_unit"], data["overdue"], on)

        def body():
            data = summary()
            body_context = {
                **data,
                "period": period,
                "status_date": on,
                "overdue_count": len(data["overdue"]),
                "overdue": data["overdue"][:LATE_ON_DASHBOARD],
                "status_labels": status.LABELS,
                "is_reviewer": policy.is_reviewer(user),
                "predicate": predicate_label(data["average_achievement"]),
            }
            body_context["status_charts"], body_context["compliance_chart"] = charts.dashboard_svgs(
                data["by_scheme"], data["by_asda"]
            )
            html = render_to_string("programs/includes/dashboard_body.html", body_context)
            return {"html": html, "overdue_count": body_context["overdue_count"]}

        rendered = data_version.cached(government_id, ("dashboard-body", *parts), body)
        context["body"] = mark_safe(rendered["html"])  # noqa: S308 - our own template's output
        context["overdue_count"] = rendered["overdue_count"]
        # The figures, for whoever asks for them (tests): read only when asked.
        for name in ("programs", "statuses", "totals", "overdue", "indicators"):
            context[name] = SimpleLazyObject(lambda name=name: summary()[name])
    return render(request, "programs/dashboard.html", context)


def _workbook_response(period, by_unit, late, on):
    response = HttpResponse(
        dashboard_export.dashboard_workbook(period, by_unit, late, on),
        content_type=dashboard_export.CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{dashboard_export.filename(period)}"'
    return response


@login_required
def late_milestones(request):
    """Every milestone late in the chosen quarter among the programs the user may see."""
    user = request.user
    if (refusal := _not_a_monitor(request)) is not None:
        return refusal
    period = period_from(request, user)
    rows = monitoring.late_milestones(user, period) if period else []
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/late_milestones.html",
        {
            "period": period,
            "periods": selectors.periods_of(user)[:12],
            "status_date": selectors.status_date(period) if period else None,
            "page_obj": page,
            "count": len(rows),
        },
    )
