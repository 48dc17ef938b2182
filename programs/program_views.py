"""Program setup pages for Bappeda: create and edit a program (with its budgets and
adoption indicators), set its milestones, change its owner, stop, cancel or
reactivate it.

Only those who may change programs (``policy.can_change(user, Program)``:
Bappeda and the superuser) reach them; anyone else gets 403 on a program they
see. Every program is fetched through the visible-to-user selector (missing
or forbidden: 404); every write calls a service, which validates and records
the actor and the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.selectors import commitments_visible_to
from programs import program_services, selectors, services
from programs.models import MilestoneProgress, Program, ProgressReport
from programs.program_forms import (
    ADOPTION_NAMES,
    MILESTONE_NAMES,
    AdoptionFormSet,
    BudgetFormSet,
    MilestoneFormSet,
    MilestonePageForm,
    OwnerForm,
    ProgramForm,
    StateForm,
    adoption_rows,
    budget_rows,
    milestone_rows,
    place_errors,
)
from tracker import policy
from tracker.forms import parse_id
from tracker.models import Government


def _may_change_programs(user):
    if not policy.can_change(user, Program):
        raise PermissionDenied


def _changeable_program(user, pk):
    """The program ``pk`` if the user sees it (else 404) and may change programs (else 403).

    Changing a program is Bappeda's: a member of the owner unit writes its
    reports but does not edit the program, so the model-level check decides.
    """
    program = get_object_or_404(selectors.programs_visible_to(user), pk=pk)
    _may_change_programs(user)
    return program


def _chosen_commitment(request, commitments):
    """The commitment chosen with ``commitment`` (posted, or ``?commitment=``), if any.

    One the user may not see is a 404, like a missing one.
    """
    raw = request.POST.get("commitment") if request.method == "POST" else None
    raw = raw or request.GET.get("commitment")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return get_object_or_404(commitments, pk=pk)


@login_required
def program_create(request):
    """A new program under a commitment; the commitment decides the government, and so
    the units and RPJMD indicators that can be chosen."""
    user = request.user
    _may_change_programs(user)
    commitments = commitments_visible_to(user).order_by("-date", "title")
    chosen = _chosen_commitment(request, commitments)
    government_id = chosen.government_id if chosen else policy.actor_for(user).government_id
    if government_id is None:
        # A superuser belongs to no government: the commitment they pick decides it.
        return render(
            request,
            "programs/program_choose_commitment.html",
            {"commitments": commitments.select_related("government")},
        )
    government = Government.objects.get(pk=government_id)
    post = request.POST if request.method == "POST" else None
    form = ProgramForm(
        post,
        government=government,
        commitments=commitments.filter(government=government),
        initial={"commitment": chosen},
    )
    first_year = (chosen.date if chosen else timezone.localdate()).year
    budgets = BudgetFormSet(post, prefix="budget", initial=budget_rows(first_year=first_year))
    adoption = AdoptionFormSet(post, prefix="adoption")

    def save(rows):
        program = services.create_program(
            actor=user,
            commitment=form.cleaned_data["commitment"],
            owner_unit=form.cleaned_data["owner_unit"],
            budgets=budgets.budgets(),
            adoption_indicators=rows,
            **form.program_fields(),
        )
        messages.success(
            request,
            _(
                "The program was created. Now give it its milestones; their weights add "
                "up to 100 %."
            ),
        )
        return redirect("program-milestones", pk=program.pk)

    return _program_form_page(
        request, save, form, budgets, adoption, {"program": None, "government": government}
    )


def _program_form_page(request, save, form, budgets, adoption, context):
    """The program form's page, for a new program and an edited one: when every form is
    valid, ``save(adoption_rows)`` calls the service and answers the redirect; the
    service's refusals are placed beside their fields and the page is drawn again."""
    budget_errors = []
    if request.method == "POST" and _all_valid(form, budgets, adoption):
        rows, adoption_forms = adoption.rows(ADOPTION_NAMES)
        try:
            return save(rows)
        except ValidationError as error:
            place_errors(error, form, adoption_forms, {"budgets": budget_errors})
    return render(
        request,
        "programs/program_form.html",
        {
            "form": form,
            "budgets": budgets,
            "budget_errors": budget_errors,
            "adoption": adoption,
            **context,
        },
    )


def _all_valid(*forms):
    """Validate every form (not stopping at the first invalid one), so each shows its errors."""
    results = [form.is_valid() for form in forms]
    return all(results)


@login_required
def program_edit(request, pk):
    """Edit a program's fields, budgets and adoption indicators in one go (all or nothing)."""
    user = request.user
    program = _changeable_program(user, pk)
    government = program.commitment.government
    post = request.POST if request.method == "POST" else None
    # The form works on its own copy, so the page's title and links keep the saved values.
    form = ProgramForm(post, instance=Program.objects.get(pk=program.pk), government=government)
    budgets = BudgetFormSet(post, prefix="budget", initial=budget_rows(program, first_year=None))
    adoption = AdoptionFormSet(post, prefix="adoption", initial=adoption_rows(program))

    def save(rows):
        program_services.update_program(
            program,
            actor=user,
            reason=form.cleaned_data["reason"],
            budgets=budgets.budgets(),
            adoption_indicators=rows,
            **form.program_fields(),
        )
        messages.success(request, _("The changes were saved."))
        return redirect("program-detail", pk=program.pk)

    context = {
        "program": program,
        "government": government,
        "has_reports": program.reports.exists(),
    }
    return _program_form_page(request, save, form, budgets, adoption, context)


@login_required
def program_milestones(request, pk):
    """All of a program's milestones on one page: add, edit, reorder, remove, in one save."""
    user = request.user
    program = _changeable_program(user, pk)
    existing = list(program.milestones.all())
    ids = [m.pk for m in existing]
    progress = MilestoneProgress.objects.filter(milestone_id__in=ids)
    reported = set(
        progress.exclude(percent=0, report__state=ProgressReport.State.DRAFT).values_list(
            "milestone_id", flat=True
        )
    )
    verified = set(
        progress.filter(report__state=ProgressReport.State.VERIFIED).values_list(
            "milestone_id", flat=True
        )
    )
    post = request.POST if request.method == "POST" else None
    formset = MilestoneFormSet(post, prefix="milestone", initial=milestone_rows(program))
    page = MilestonePageForm(post)
    if post is not None and _all_valid(formset, page):
        rows, row_forms = formset.rows(MILESTONE_NAMES)
        try:
            services.set_milestones(
                program, actor=user, rows=rows, reason=page.cleaned_data["reason"]
            )
        except ValidationError as error:
            place_errors(error, page, row_forms)
        else:
            messages.success(request, _("The milestones were saved."))
            return redirect("program-detail", pk=program.pk)
    for form in formset.forms:
        pk_value = form.initial.get("pk")
        form.has_progress = pk_value in reported
        form.has_verified = pk_value in verified
    return render(
        request,
        "programs/milestone_form.html",
        {"program": program, "formset": formset, "page": page},
    )


def _program_reason_page(request, program, form, *, title, explanation, submit, confirm=None):
    """The page asking why before a change to ``program`` (its owner, its state)."""
    context = {"title": title, "explanation": explanation, "submit": submit, "confirm": confirm}
    return render(
        request,
        "programs/program_reason_form.html",
        {"program": program, "form": form, **context},
    )


@login_required
def program_owner(request, pk):
    """Give the program to another unit, with a reason."""
    user = request.user
    program = _changeable_program(user, pk)
    form = OwnerForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_owner(
                program,
                actor=user,
                unit=form.cleaned_data["owner_unit"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            place_errors(error, form)
        else:
            messages.success(
                request,
                _("%(unit)s now owns the program and writes its reports.")
                % {"unit": form.cleaned_data["owner_unit"]},
            )
            return redirect("program-detail", pk=program.pk)
    return _program_reason_page(
        request,
        program,
        form,
        title=_("Change the owner unit"),
        explanation=_(
            "The new unit's members write the program's reports from now on; the "
            "previous unit's members no longer see it unless their unit supports it."
        ),
        submit=_("Change the owner"),
    )


STATE_CHOICES = {
    Program.State.ACTIVE: [
        (Program.State.STOPPED, _("Stop the program")),
        (Program.State.CANCELLED, _("Cancel the program")),
    ],
    Program.State.STOPPED: [
        (Program.State.ACTIVE, _("Make the program active again")),
        (Program.State.CANCELLED, _("Cancel the program")),
    ],
    Program.State.CANCELLED: [(Program.State.ACTIVE, _("Make the program active again"))],
}


@login_required
def program_state(request, pk):
    """Stop or cancel a program from a date (it is never deleted), or reactivate it."""
    user = request.user
    program = _changeable_program(user, pk)
    form = StateForm(
        request.POST or None, program=program, choices=STATE_CHOICES[Program.State(program.state)]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = program_services.set_program_state(
                program, actor=user, state=data["state"], on=data["on"], reason=data["reason"]
            )
        except ValidationError as error:
            place_errors(error, form)
        else:
            messages.success(
                request,
                _("The program is now “%(state)s”.") % {"state": program.get_state_display()},
            )
            return redirect("program-detail", pk=program.pk)
    return _program_reason_page(
        request,
        program,
        form,
        title=_("Stop, cancel or reactivate the program"),
        explanation=_(
            "A program is never deleted. Stopped or cancelled, it has no report to write "
            "for the quarters that start after the date; its history and past reports stay."
        ),
        submit=_("Change the state"),
        confirm=_("Change the program's state?"),
    )
