"""Pages where the Administrator manages units and officials, and where a superuser
starts a new government.

Records are fetched through the user's visible querysets (missing or another
government's: 404); who sees a record but may not change it gets 403. Every
write calls a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tracker import policy, services
from tracker.forms import add_service_errors, parse_id
from tracker.models import Official, Unit
from tracker.new_records import choose_government, government_for_new
from tracker.organisation_forms import (
    OFFICIAL_FORM_FIELDS,
    UNIT_FORM_FIELDS,
    EndTermForm,
    GovernmentStartForm,
    OfficialForm,
    ReasonForm,
    UnitForm,
)
from tracker.pages import get_changeable, reason_form_page, service_form_page
from tracker.selectors import officials_visible_to, units_visible_to

# --- Units ---------------------------------------------------------------------------------


@login_required
def unit_create(request):
    if not policy.can_change(request.user, Unit):
        raise PermissionDenied
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("New unit"))
    form = UnitForm(request.POST or None, government=government)

    def save(data):
        unit = services.create_unit(
            actor=request.user,
            government=government,
            reason=data["reason"],
            **{name: data[name] for name in UNIT_FORM_FIELDS},
        )
        messages.success(request, _("The unit %(unit)s was created.") % {"unit": unit.name})
        return redirect("unit-detail", pk=unit.pk)

    context = {"government": government, "unit": None, "title": _("New unit")}
    return service_form_page(request, form, save, "tracker/unit_form.html", context)


@login_required
def unit_edit(request, pk):
    unit = get_changeable(request.user, units_visible_to(request.user), pk)
    title = _("Edit %(unit)s") % {"unit": unit.name}
    form = UnitForm(request.POST or None, instance=unit, government=unit.government)

    def save(data):
        services.update_unit(
            unit,
            actor=request.user,
            reason=data["reason"],
            **{name: data[name] for name in UNIT_FORM_FIELDS},
        )
        messages.success(request, _("The changes were saved."))
        return redirect("unit-detail", pk=unit.pk)

    context = {"government": unit.government, "unit": unit, "title": title}
    return service_form_page(request, form, save, "tracker/unit_form.html", context)


@login_required
def unit_set_active(request, pk, active):
    """Deactivate (its members then see nothing) or reactivate a unit, with a reason.

    A unit is never deleted: its programs, reports and signatures keep it.
    """
    unit = get_changeable(request.user, units_visible_to(request.user), pk)
    if unit.is_active == active:
        messages.info(request, _("Nothing to do: the unit is already in that state."))
        return redirect("unit-detail", pk=unit.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_unit_active(
            unit, actor=request.user, active=active, reason=form.cleaned_data["reason"]
        )
        if active:
            messages.success(request, _("%(unit)s is active again.") % {"unit": unit.name})
        else:
            messages.success(
                request,
                _("%(unit)s is deactivated; its records stay.") % {"unit": unit.name},
            )
        return redirect("unit-detail", pk=unit.pk)
    if active:
        title = _("Reactivate %(unit)s") % {"unit": unit.name}
        explanation = _("Its members see and report their unit's programs again.")
    else:
        title = _("Deactivate %(unit)s") % {"unit": unit.name}
        explanation = _(
            "Its members will see nothing until it is reactivated. Its programs, reports "
            "and signatures stay, for Bappeda and the leadership to read."
        )
    return reason_form_page(
        request,
        form,
        title=title,
        explanation=explanation,
        confirm="" if active else _("Deactivate %(unit)s?") % {"unit": unit.name},
        back=unit,
        back_url_name="unit-detail",
    )


# --- Officials -----------------------------------------------------------------------------


def _unit_from_query(request):
    """The unit named by ``?unit=`` (a new official's), if the user sees it; else 404."""
    raw_id = request.GET.get("unit")
    if not raw_id:
        return None
    unit_id = parse_id(raw_id)
    if unit_id is None:
        raise Http404
    return get_object_or_404(units_visible_to(request.user), pk=unit_id)


@login_required
def official_create(request):
    if not policy.can_change(request.user, Official):
        raise PermissionDenied
    unit = _unit_from_query(request)
    government = unit.government if unit else government_for_new(request)
    if government is None:
        return choose_government(request, _("New official"))
    form = OfficialForm(
        request.POST or None,
        government=government,
        initial={"unit": unit.pk if unit else None},
    )

    def save(data):
        official = services.appoint_official(
            actor=request.user,
            reason=data["reason"],
            **{name: data[name] for name in OFFICIAL_FORM_FIELDS},
        )
        messages.success(request, _("%(name)s was recorded.") % {"name": official.name})
        return redirect("official-detail", pk=official.pk)

    context = {"government": government, "official": None, "title": _("New official")}
    return service_form_page(request, form, save, "tracker/official_form.html", context)


@login_required
def official_edit(request, pk):
    official = get_changeable(request.user, officials_visible_to(request.user), pk)
    title = _("Edit %(name)s") % {"name": official.name}
    government = official.unit.government
    form = OfficialForm(request.POST or None, instance=official, government=government)

    def save(data):
        services.update_official(
            official,
            actor=request.user,
            reason=data["reason"],
            **{name: data[name] for name in OFFICIAL_FORM_FIELDS},
        )
        messages.success(request, _("The changes were saved."))
        return redirect("official-detail", pk=official.pk)

    context = {"government": government, "official": official, "title": title}
    return service_form_page(request, form, save, "tracker/official_form.html", context)


@login_required
def official_end(request, pk):
    """End a term (the person left the office), with a reason."""
    official = get_changeable(request.user, officials_visible_to(request.user), pk)
    name = official.name
    form = EndTermForm(
        request.POST or None, initial={"end_date": official.end_date} if official.end_date else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.end_term(
                official,
                actor=request.user,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The term of %(name)s was ended.") % {"name": name})
            return redirect("official-detail", pk=official.pk)
    title = _("End the term of %(name)s") % {"name": name}
    return reason_form_page(
        request,
        form,
        title=title,
        explanation=_(
            "%(position)s, %(unit)s. The record stays: reports printed for dates in "
            "the term still name this person."
        )
        % {"position": official.position, "unit": official.unit.name},
        submit=_("End the term"),
        confirm=_("End the term of %(name)s?") % {"name": name},
        back=official,
        back_url_name="official-detail",
    )


# --- A new government ----------------------------------------------------------------------


@login_required
def government_create(request):
    """A superuser starts a government and invites its first Administrator."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = GovernmentStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.start_government(
                actor=request.user,
                region_code=data["region_code"],
                name=data["name"],
                kind=data["kind"],
                place_name=data["place_name"],
                admin_username=data["admin_username"],
                admin_email=data["admin_email"],
                admin_full_name=data["admin_full_name"],
                reason=data["reason"],
                request_or_site_url=request,
            )
        except ValidationError as error:
            add_service_errors(form, _renamed(error, GovernmentStartForm.SERVICE_FIELDS))
        else:
            user = invitation.user
            messages.success(
                request,
                _("%(government)s was started with its Administrator %(user)s.")
                % {"government": user.profile.government.name, "user": user.username},
            )
            tell_about_invitation(request, invitation)
            return redirect("user-detail", pk=user.pk)
    return render(request, "tracker/government_form.html", {"form": form})


def _renamed(error, names):
    """``error`` with its field names mapped through ``names`` (a service's -> a form's)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): errors for field, errors in error.error_dict.items()}
    )


def tell_about_invitation(request, invitation):
    """Say whether the invitation email went out (here and on the account pages)."""
    if invitation.sent:
        messages.success(
            request,
            _("The invitation to set a password was sent to %(email)s.")
            % {"email": invitation.user.email},
        )
    else:
        messages.warning(
            request,
            _(
                "The invitation email to %(email)s could not be sent (the mail server "
                "refused it). Send the invitation again later."
            )
            % {"email": invitation.user.email},
        )
