"""Read-only pages of the RPJMD plan."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from programs.selectors import indicators_visible_to, plan_tree, plans_visible_to


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


class IndicatorDetailView(LoginRequiredMixin, DetailView):
    template_name = "programs/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        return indicators_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        targets = {t.year: t for t in self.object.targets.all()}
        context["rows"] = [(year, targets.get(year)) for year in self.object.plan.years]
        return context
