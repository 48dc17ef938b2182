"""Pages of classification schemes: list, detail with history, create and edit.

They are the pages of those who keep schemes (Bappeda, the Administrator, a
superuser; ``tracker.policy``): others are refused (403). A scheme is fetched
through the user's visible schemes (another government's: 404); a shared
scheme is read-only but for a superuser.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from programs.models import ClassificationScheme
from programs.program_forms import place_errors
from programs.scheme_forms import CATEGORY_NAMES, CategoryFormSet, SchemeForm, category_rows
from programs.scheme_services import create_scheme, schemes_visible_to, update_scheme
from tracker import policy
from tracker.history import gather_history
from tracker.new_records import choose_government, government_for_new
from tracker.pages import get_changeable


def _keeper_only(user):
    if not policy.can_change(user, ClassificationScheme):
        raise PermissionDenied


@login_required
def scheme_list(request):
    user = request.user
    _keeper_only(user)
    schemes = schemes_visible_to(user).annotate(
        category_count=Count("categories", distinct=True),
        commitment_count=Count("commitments", distinct=True),
    )
    page = Paginator(schemes.order_by("government__name", "name", "id"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programs/scheme_list.html",
        {"page_obj": page, "object_list": page.object_list},
    )


@login_required
def scheme_detail(request, pk):
    user = request.user
    _keeper_only(user)
    scheme = get_object_or_404(schemes_visible_to(user), pk=pk)
    history = Paginator(gather_history(scheme.history_parts()), 50).get_page(
        request.GET.get("page")
    )
    commitments = policy.visible(user, scheme.commitments.all()).order_by("-date")
    return render(
        request,
        "programs/scheme_detail.html",
        {
            "scheme": scheme,
            "categories": scheme.categories.all(),
            "commitments": commitments,
            "can_change": policy.can_change(user, scheme),
            "page_obj": history,
        },
    )


def _scheme_form_page(request, scheme, save, government):
    """The scheme form with its category rows; ``save(fields, rows, reason)`` calls the
    service and returns the saved scheme."""
    post = request.POST if request.method == "POST" else None
    instance = ClassificationScheme.objects.get(pk=scheme.pk) if scheme else None
    form = SchemeForm(post, instance=instance)
    formset = CategoryFormSet(post, prefix="category", initial=category_rows(scheme))
    if post is not None and all([form.is_valid(), formset.is_valid()]):
        rows, row_forms = formset.rows(CATEGORY_NAMES)
        fields = {name: form.cleaned_data[name] for name in SchemeForm.Meta.fields}
        try:
            saved = save(fields, rows, form.cleaned_data["reason"])
        except ValidationError as error:
            place_errors(error, form, row_forms)
        else:
            messages.success(request, _("The classification scheme was saved."))
            return redirect("scheme-detail", pk=saved.pk)
    return render(
        request,
        "programs/scheme_form.html",
        {"form": form, "formset": formset, "scheme": scheme, "government": government},
    )


@login_required
def scheme_create(request):
    user = request.user
    _keeper_only(user)
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("New classification scheme"))

    def save(fields, rows, reason):
        return create_scheme(
            actor=user, government=government, categories=rows, reason=reason, **fields
        )

    return _scheme_form_page(request, None, save, government)


@login_required
def scheme_edit(request, pk):
    user = request.user
    _keeper_only(user)
    scheme = get_changeable(user, schemes_visible_to(user), pk)

    def save(fields, rows, reason):
        return update_scheme(scheme, actor=user, categories=rows, reason=reason, **fields)

    return _scheme_form_page(request, scheme, save, scheme.government)
