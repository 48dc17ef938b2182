"""Pages of commitments: list, detail, create/edit, signing, revocation, exports, history.

Every object is fetched through the user's visible queryset (missing or
forbidden: 404); every write asks the policy first and calls a service.
"""

import csv
import os
import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from commitments import pending_scans, services
from commitments.filters import CommitmentFilter
from commitments.forms import CommitmentForm, ReasonForm, SigningEventForm
from commitments.models import Commitment
from commitments.selectors import (
    commitment_history_entries,
    commitment_points,
    commitments_visible_to,
    commitments_with_counts,
    live_signatures_by_unit,
    signatories_visible_to,
    signatures_visible_to,
    signing_progress,
    with_signed_flag,
)
from tracker import policy
from tracker.exports import safe_row
from tracker.formatting import format_nip
from tracker.forms import add_service_errors, check_date_in_range
from tracker.models import Government, Official, Unit
from tracker.new_records import choose_government, government_for_new
from tracker.pages import get_changeable, service_form_page
from tracker.uploads import download_response


def _visible_commitment(user, pk):
    return get_object_or_404(commitments_visible_to(user), pk=pk)


def _changeable_commitment(user, pk):
    return get_changeable(user, commitments_visible_to(user), pk)


class CommitmentListView(LoginRequiredMixin, FilterView):
    filterset_class = CommitmentFilter
    template_name = "commitments/commitment_list.html"
    paginate_by = 25

    def get_queryset(self):
        return commitments_with_counts(commitments_visible_to(self.request.user)).order_by(
            "-date", "title"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["governments"] = policy.visible(self.request.user, Government.objects.all())
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policy.can_change(self.request.user, Commitment)
        return context


@login_required
def commitment_detail(request, pk):
    user = request.user
    commitment = _visible_commitment(user, pk)
    signatories = list(with_signed_flag(signatories_visible_to(user, commitment)))
    signatures = list(signatures_visible_to(user, commitment))
    live = live_signatures_by_unit(signatures)
    for signatory in signatories:
        signatory.signature = live.get(signatory.unit_id)
    context = {
        "commitment": commitment,
        "points": commitment_points(commitment),
        "progress": signing_progress(signatories_visible_to(user, commitment)),
        "signatories": signatories,
        "outstanding": [s for s in signatories if not s.is_signed],
        "revoked": [s for s in signatures if s.revoked_at is not None],
        "can_change": policy.can_change(user, commitment),
        "sees_all": policy.sees_whole_government(user),
        "plans": commitment.plans.all(),
    }
    return render(request, "commitments/commitment_detail.html", context)


@login_required
def commitment_create(request):
    if not policy.can_change(request.user, Commitment):
        raise PermissionDenied
    government = government_for_new(request)
    if government is None:
        return choose_government(request, _("New commitment"))
    units = Unit.objects.filter(government=government, is_active=True).order_by("kind", "name")
    form = CommitmentForm(
        request.POST or None, request.FILES or None, units=units, government=government
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.create_commitment(
                actor=request.user,
                government=government,
                points=data["points"],
                signatories=form.chosen_units(),
                scan=data.get("scan"),
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment was saved as a draft."))
            return redirect("commitment-detail", pk=commitment.pk)
    return render(
        request,
        "commitments/commitment_form.html",
        {"form": form, "government": government, "commitment": None},
    )


@login_required
def commitment_edit(request, pk):
    commitment = _changeable_commitment(request.user, pk)
    if not commitment.is_editable:
        messages.error(
            request, _("Only a draft can be edited. Reopening a closed commitment is recorded.")
        )
        return redirect("commitment-detail", pk=commitment.pk)
    units = Unit.objects.filter(government=commitment.government, is_active=True).order_by(
        "kind", "name"
    )
    form = CommitmentForm(
        request.POST or None,
        request.FILES or None,
        instance=commitment,
        units=units,
        government=commitment.government,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_commitment(
                commitment,
                actor=request.user,
                points=data["points"],
                signatories=form.chosen_units(),
                scan=data.get("scan"),
                reason=data.get("reason", ""),
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("commitment-detail", pk=commitment.pk)
    return render(
        request,
        "commitments/commitment_form.html",
        {"form": form, "government": commitment.government, "commitment": commitment},
    )


@login_required
@require_POST
def commitment_transition(request, pk, action):
    """Open for signing or close (buttons on the detail page)."""
    commitment = _changeable_commitment(request.user, pk)
    service = {"open": services.open_for_signing, "close": services.close_commitment}.get(action)
    if service is None:
        raise Http404
    try:
        service(commitment, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The commitment is now “%(state)s”.")
            % {"state": Commitment.objects.get(pk=pk).get_state_display()},
        )
    return redirect("commitment-detail", pk=commitment.pk)


@login_required
def commitment_reopen(request, pk):
    commitment = _changeable_commitment(request.user, pk)

    def save(data):
        services.reopen_commitment(commitment, actor=request.user, reason=data["reason"])
        messages.success(request, _("The commitment is open for signing again."))
        return redirect("commitment-detail", pk=commitment.pk)

    context = {
        "commitment": commitment,
        "title": _("Reopen the commitment"),
        "explanation": _("A closed commitment is read-only. Say why it must be reopened."),
        "submit": _("Reopen"),
    }
    form = ReasonForm(request.POST or None)
    return service_form_page(request, form, save, "commitments/reason_form.html", context)


def _signing_choices(user, commitment, on):
    """The outstanding signatories, their officials in office on ``on``, and their heads."""
    outstanding = [
        s for s in with_signed_flag(signatories_visible_to(user, commitment)) if not s.is_signed
    ]
    unit_ids = [s.unit_id for s in outstanding]
    officials_by_unit = {}
    for official in (
        Official.objects.in_office(on).filter(unit_id__in=unit_ids).order_by("-is_head", "name")
    ):
        officials_by_unit.setdefault(official.unit_id, []).append(official)
    heads = {
        unit_id: officials[0]
        for unit_id, officials in officials_by_unit.items()
        if officials[0].is_head
    }
    return {"signatories": outstanding, "officials_by_unit": officials_by_unit, "heads": heads}


def _keep_chosen_scan(request, commitment, kept):
    """Act on the kept scan: remove it if asked, keep a newly chosen file.

    A new file passes the scan's checks before it is kept; if it fails, the
    form (or, for a button that does not save, a message) says why.
    """
    if (
        request.POST.get("action") == "remove-scan"
        and kept is not None
        and request.POST.get("kept_scan") == str(kept.pk)
    ):
        pending_scans.discard_scan(kept, actor=request.user)
        kept = None
    upload = request.FILES.get("scan")
    if upload:
        try:
            kept = pending_scans.keep_scan(commitment, actor=request.user, upload=upload)
        except ValidationError as error:
            if request.POST.get("action", "save") != "save":
                for message in error.messages:
                    messages.error(request, message)
    return kept


@login_required
def signing_event(request, pk):
    """Record a ceremony: one scan, the expected signatories who signed, and their officials.

    The scan is kept for the user as soon as it is chosen (``pending_scans``),
    so it survives an error elsewhere on the form. Besides "save", two buttons
    change the form without saving: "tick all expected signatories" (without
    JavaScript; with it, the page does it) and "remove" beside the kept scan.
    """
    commitment = _changeable_commitment(request.user, pk)
    if not commitment.accepts_signatures:
        messages.error(request, _("Open the commitment for signing before recording signatures."))
        return redirect("commitment-detail", pk=commitment.pk)
    on = _date_from(request, commitment)
    choices = _signing_choices(request.user, commitment, on)
    kept = pending_scans.kept_scan(request.user, commitment)
    action = request.POST.get("action", "save")
    if request.method == "POST":
        kept = _keep_chosen_scan(request, commitment, kept)
    initial = {"signed_date": on, "place": commitment.place}
    if request.method != "POST" or action != "save":
        form = SigningEventForm(initial=initial, kept_scan=kept, **choices)
        if request.method == "POST":
            form.show_values(request.POST, tick_all=action == "tick-all")
        return _signing_page(request, commitment, form, on)
    form = SigningEventForm(request.POST, request.FILES, kept_scan=kept, **choices)
    if form.is_valid() and kept is None:  # the form checked the file, keeping it failed
        form.add_error("scan", _("Choose the scan of the signed sheet again."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            _event, signatures = pending_scans.record_signing_event_with_kept_scan(
                commitment,
                actor=request.user,
                pending=kept,
                signed_at=data["signed_at"],
                place=data["place"],
                signers=data["signed_by"],
                method=data["method"],
                reason=data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s signatures were recorded.") % {"count": len(signatures)},
            )
            return redirect("commitment-detail", pk=commitment.pk)
    if kept is not None:
        messages.error(
            request, _("Nothing was saved. Correct the marked fields; the chosen scan is kept.")
        )
    else:
        messages.error(request, _("Nothing was saved. Correct the marked fields."))
    return _signing_page(request, commitment, form, on)


def _signing_page(request, commitment, form, on):
    return render(
        request,
        "commitments/signing_event_form.html",
        {"commitment": commitment, "form": form, "on": on},
    )


def _date_from(request, commitment):
    """The signing date whose officials the checklist offers (posted, asked for, or the day)."""
    from django.utils.dateparse import parse_date

    raw = request.POST.get("signed_date") or request.GET.get("tanggal")
    try:
        parsed = check_date_in_range(parse_date(raw)) if raw else None
    except (ValueError, ValidationError):
        parsed = None
    return parsed or min(commitment.date, timezone.localdate())


@login_required
def signature_revoke(request, pk, signature_pk):
    commitment = _changeable_commitment(request.user, pk)
    signature = get_object_or_404(
        signatures_visible_to(request.user, commitment), pk=signature_pk, revoked_at__isnull=True
    )

    def save(data):
        services.revoke_signature(signature, actor=request.user, reason=data["reason"])
        messages.success(
            request,
            _("The signature of %(unit)s was revoked; record it again if needed.")
            % {"unit": signature.unit},
        )
        return redirect("commitment-detail", pk=commitment.pk)

    context = {
        "commitment": commitment,
        "signature": signature,
        "title": _("Revoke a signature"),
        "explanation": _(
            "A signature is never edited. Revoke it with the reason, then record the "
            "correct one. Both stay in the history."
        ),
        "submit": _("Revoke"),
    }
    form = ReasonForm(request.POST or None)
    return service_form_page(request, form, save, "commitments/reason_form.html", context)


@login_required
def signature_evidence(request, pk, signature_pk):
    """Download a signature's evidence, if the user may see that signature."""
    commitment = _visible_commitment(request.user, pk)
    signature = get_object_or_404(signatures_visible_to(request.user, commitment), pk=signature_pk)
    return download_response(signature.evidence)


@login_required
def commitment_scan(request, pk):
    """Download the scan of the whole document.

    It shows every signatory, so only whole-government roles may have it.
    """
    commitment = _visible_commitment(request.user, pk)
    if not commitment.scan or not policy.sees_whole_government(request.user):
        raise Http404
    return download_response(commitment.scan, _scan_filename(commitment))


def _scan_filename(commitment):
    """The scan's download name, e.g. ``Komitmen-Bersama-SPBE-2022-03-14.pdf``.

    Named after the commitment rather than the storage name (a random suffix
    the storage added), in plain ASCII so every browser and file system keeps it.
    """
    ascii_title = unicodedata.normalize("NFKD", commitment.title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:80].rstrip("-")
    stem = f"{stem or 'Komitmen'}-{commitment.date:%Y-%m-%d}"
    extension = os.path.splitext(commitment.scan.name)[1].lower()
    return stem + (extension if re.fullmatch(r"\.[a-z0-9]{1,5}", extension) else "")


@login_required
def signatories_csv(request, pk):
    """The signatory list the user may see, as CSV (opens in Excel / LibreOffice)."""
    commitment = _visible_commitment(request.user, pk)
    signatories = with_signed_flag(signatories_visible_to(request.user, commitment))
    live = live_signatures_by_unit(
        signatures_visible_to(request.user, commitment).filter(revoked_at__isnull=True)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="penandatangan-{commitment.pk}.csv"'
    response.write("\ufeff")  # BOM: Excel then reads UTF-8 correctly
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Unit"),
            _("Kind"),
            _("Signed"),
            _("Name"),
            _("NIP"),
            _("Rank / grade"),
            _("Position"),
            _("Signed at"),
            _("Method"),
            _("SHA-256 of the evidence"),
        ]
    )
    for signatory in signatories:
        signature = live.get(signatory.unit_id)
        row = [
            signatory.unit.name,
            signatory.unit.get_kind_display(),
            _("yes") if signature else _("no"),
        ]
        if signature:
            row += [
                signature.official_name,
                # Written in its printed groups: a spreadsheet keeps
                # "19700101 200003 1 002" as text, whereas 18 bare digits
                # become a number rounded to 15 significant digits.
                format_nip(signature.official_nip),
                signature.official_rank,
                signature.official_position,
                timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M"),
                signature.get_method_display(),
                signature.evidence_sha256,
            ]
        writer.writerow(safe_row(row))  # a name typed as "=..." stays text (tracker.exports)
    return response


@login_required
def commitment_history(request, pk):
    """The commitment's history with its points, signatories and signatures, newest first."""
    commitment = _visible_commitment(request.user, pk)
    entries = commitment_history_entries(request.user, commitment)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "commitments/commitment_history.html", {"commitment": commitment, "page_obj": page}
    )
