"""Helpers every app's pages share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render

from tracker import policy
from tracker.forms import add_service_errors


def get_changeable(user, queryset, pk):
    """The record ``pk`` of ``queryset`` (the user's visible records) if the user may change
    it: 404 if they do not see it, 403 if they see it but may not change it."""
    obj = get_object_or_404(queryset, pk=pk)
    if not policy.can_change(user, obj):
        raise PermissionDenied
    return obj


def service_form_page(request, form, save, template, context):
    """The page of a create or edit ``form``: when it is posted and valid,
    ``save(cleaned_data)`` calls the service and returns the response (a redirect); a
    ``ValidationError`` it raises is shown beside the fields, with all that was typed,
    and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            return save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, template, {"form": form, **context})


def reason_form_page(request, form, *, title, explanation, back, back_url_name, **extra):
    """The page asking why, before a change that needs a reason (deactivating, ending a
    term): ``back`` is the record the page returns to through ``back_url_name``;
    ``extra`` may give ``submit`` (the button, else the title) and ``confirm``."""
    context = {"submit": title, "confirm": "", **extra}
    context.update(
        form=form, title=title, explanation=explanation, back=back, back_url_name=back_url_name
    )
    return render(request, "tracker/reason_form.html", context)
