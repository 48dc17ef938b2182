"""Pages that change the RPJMD: the plan, its tree, indicators and yearly targets.

Every record is fetched through the user's visible queryset (missing or
another government's: 404); a user who sees it but may not change it gets 403.
Every write calls ``rpjmd.services``. The Excel import and export are in
``rpjmd/import_views.py``.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.models import Goal, Indicator, Mission, Objective, Plan, PlanProgram
from programs.selectors import plans_visible_to
from rpjmd import forms, services
from tracker import policy
from tracker.forms import add_service_errors, parse_id
from tracker.new_records import choose_government, government_for_new
from tracker.pages import get_changeable


def changeable_plan(user, pk):
    """The plan ``pk`` if ``user`` may change it: 404 if they cannot see it, 403 if they
    only read it."""
    plan = get_object_or_404(plans_visible_to(user), pk=pk)
    if not policy.can_change(user, plan):
        raise PermissionDenied
    return plan


def _reason(form):
    return form.cleaned_data.get("reason", "")


# --- The plan ---------------------------------------------------------------------------


@login_required
def plan_create(request):
    if not policy.can_change(request.user, Plan):
        raise PermissionDenied
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("New RPJMD plan"))
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, government=government, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was created. Add its missions next."))
            return redirect("plan-detail", pk=plan.pk)
    return render(
        request,
        "rpjmd/plan_form.html",
        {"form": form, "government": government, "plan": None},
    )


@login_required
def plan_edit(request, pk):
    plan = changeable_plan(request.user, pk)
    form = forms.PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, actor=request.user, reason=_reason(form), **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("plan-detail", pk=plan.pk)
    return render(
        request,
        "rpjmd/plan_form.html",
        {"form": form, "government": plan.government, "plan": plan, "delete": forms.DeleteForm()},
    )


@login_required
@require_POST
def plan_delete(request, pk):
    plan = changeable_plan(request.user, pk)
    form = forms.DeleteForm(request.POST)
    form.is_valid()
    try:
        services.delete_plan(plan, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rpjmd-plan-edit", pk=plan.pk)
    messages.success(request, _("The plan was deleted."))
    return redirect("plan-list")


# --- Missions, goals, objectives, RPJMD programs and indicators ---------------------------


@dataclass(frozen=True)
class Node:
    """How the generic add/edit/delete pages handle one kind of node of the plan."""

    model: type
    form: type
    update: object
    delete: object
    add_title: str
    edit_title: str
    # The field naming the parent, pre-selected from ``?induk=<id>`` on the add page.
    parent: str = ""


NODES = {
    "mission": Node(
        Mission,
        forms.MissionForm,
        services.update_mission,
        services.delete_mission,
        gettext_lazy("New mission"),
        gettext_lazy("Edit mission"),
    ),
    "goal": Node(
        Goal,
        forms.GoalForm,
        services.update_goal,
        services.delete_goal,
        gettext_lazy("New goal (tujuan)"),
        gettext_lazy("Edit goal (tujuan)"),
        "mission",
    ),
    "objective": Node(
        Objective,
        forms.ObjectiveForm,
        services.update_objective,
        services.delete_objective,
        gettext_lazy("New objective (sasaran)"),
        gettext_lazy("Edit objective (sasaran)"),
        "goal",
    ),
    "plan_program": Node(
        PlanProgram,
        forms.PlanProgramForm,
        services.update_plan_program,
        services.delete_plan_program,
        gettext_lazy("New RPJMD program"),
        gettext_lazy("Edit RPJMD program"),
        "objective",
    ),
    "indicator": Node(
        Indicator,
        forms.IndicatorForm,
        services.update_indicator,
        services.delete_indicator,
        gettext_lazy("New indicator"),
        gettext_lazy("Edit indicator"),
        "level",
    ),
}


def _form(node, plan, data=None, instance=None, initial=None):
    kwargs = {"instance": instance, "initial": initial}
    if node.model is not Mission:
        kwargs["plan"] = plan
    return node.form(data, **kwargs)


def _create(kind, form, plan, user):
    fields = form.changes()
    if kind == "mission":
        return services.add_mission(actor=user, plan=plan, **fields)
    if kind == "indicator":
        return services.add_indicator(
            actor=user, plan=plan, level=form.cleaned_data["level"], **fields
        )
    adder = {
        "goal": services.add_goal,
        "objective": services.add_objective,
        "plan_program": services.add_plan_program,
    }[kind]
    return adder(actor=user, **fields)


def _done(obj, plan):
    if isinstance(obj, Indicator):
        return redirect("indicator-detail", pk=obj.pk)
    return redirect("plan-detail", pk=plan.pk)


def _initial_parent(request, node, kind):
    """``?induk=goal-3`` (indicator) or ``?induk=3`` (other nodes) pre-selects the parent."""
    raw = request.GET.get("induk", "")
    if not node.parent:
        return {}
    if kind == "indicator":
        return {"level": raw} if raw else {}
    parent_id = parse_id(raw)
    return {node.parent: parent_id} if parent_id else {}


@login_required
def node_add(request, pk, kind):
    node = NODES[kind]
    plan = changeable_plan(request.user, pk)
    form = _form(node, plan, request.POST or None, initial=_initial_parent(request, node, kind))
    if request.method == "POST" and form.is_valid():
        try:
            obj = _create(kind, form, plan, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(node)s was added.") % {"node": obj})
            return _done(obj, plan)
    return render(
        request,
        "rpjmd/node_form.html",
        {"form": form, "plan": plan, "title": node.add_title, "obj": None, "kind": kind},
    )


def _changeable_node(user, kind, pk):
    node = NODES[kind]
    obj = get_changeable(user, policy.visible(user, node.model.objects.all()), pk)
    return node, obj, services.plan_of(obj)


@login_required
def node_edit(request, pk, kind):
    node, obj, plan = _changeable_node(request.user, kind, pk)
    form = _form(node, plan, request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        extra = {"level": form.cleaned_data["level"]} if kind == "indicator" else {}
        try:
            node.update(obj, actor=request.user, reason=_reason(form), **form.changes(), **extra)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _done(obj, plan)
    return render(
        request,
        "rpjmd/node_form.html",
        {
            "form": form,
            "plan": plan,
            "title": node.edit_title,
            "obj": obj,
            "kind": kind,
            "delete": forms.DeleteForm(),
            "delete_url": f"rpjmd-{kind.replace('_', '-')}-delete",
        },
    )


@login_required
@require_POST
def node_delete(request, pk, kind):
    node, obj, plan = _changeable_node(request.user, kind, pk)
    form = forms.DeleteForm(request.POST)
    form.is_valid()
    name = str(obj)
    try:
        node.delete(obj, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"rpjmd-{kind.replace('_', '-')}-edit", pk=obj.pk)
    messages.success(request, _("%(node)s was deleted.") % {"node": name})
    return redirect("plan-detail", pk=plan.pk)


# --- Yearly targets -----------------------------------------------------------------------


@login_required
def indicator_targets(request, pk):
    """One form per indicator: target, budget (pagu) and LKjIP realisation per plan year."""
    _node, indicator, plan = _changeable_node(request.user, "indicator", pk)
    form = forms.TargetsForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.set_targets(
                indicator,
                actor=request.user,
                rows=form.targets(),
                reason=_reason(form),
                confirmations=form.confirmations(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request,
                    _("Saved the years %(years)s.") % {"years": ", ".join(map(str, changed))},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("indicator-detail", pk=indicator.pk)
    return render(
        request,
        "rpjmd/targets_form.html",
        {"form": form, "indicator": indicator, "plan": plan},
    )
