"""Pages of the core: home, units, officials, and the history of any record."""

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from tracker import policy
from tracker.filters import OfficialFilter, UnitFilter
from tracker.history import history_entries
from tracker.selectors import (
    heads_on,
    officials_visible_to,
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
        context["plans"] = plans_visible_to(user)[:5]
        # Open commitments and, within the user's scope, how many have not signed yet.
        context["open_commitments"] = commitments_with_counts(
            commitments_visible_to(user).filter(state="open"), units=actor.unit_ids
        ).order_by("-date")[:5]
        context["units_count"] = units_visible_to(user).count()
        if actor.role in policy.UNIT_ROLES:
            context["tasks"] = _task_summary(user)
        if actor.unit_id:
            context["own_unit"] = units_visible_to(user).filter(pk=actor.unit_id).first()
        return context


def _task_summary(user):
    """For a unit member's home page: this quarter's reports still to send, and returned ones."""
    from programs.selectors import current_period, my_tasks

    period = current_period(user)
    if period is None:
        return None
    rows, returned = my_tasks(user, period)
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


class OfficialDetailView(LoginRequiredMixin, DetailView):
    template_name = "tracker/official_detail.html"
    context_object_name = "official"

    def get_queryset(self):
        return officials_visible_to(self.request.user)


def history_view(request, app_label, model_name, pk):
    """Who changed what, when, old -> new and why, for one record the user may see."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in policy.registered_models() or not hasattr(model, "history"):
        raise Http404
    obj = get_object_or_404(policy.visible(request.user, model._default_manager.all()), pk=pk)
    records = obj.history.select_related("history_user").order_by("history_date", "history_id")
    entries = history_entries(records, model)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tracker/history.html",
        {"object": obj, "model_name": model._meta.verbose_name, "page_obj": page},
    )
