"""The demo tells one consistent story (issue 22): every move of a report names a
plausible person and happens in order, and a rate or an index moves smoothly.

Each test lists every offending record, so a failure says how many there are.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from programs import status
from programs.models import IndicatorRealisation, ProgressReport
from tracker import policy
from tracker.models import Profile

R = ProgressReport.State
# The most a non-cumulative indicator's value of one program may move from one
# reported quarter to the next, as a share of the earlier value.
MAX_QUARTERLY_MOVE = Decimal("0.10")


def _reports(government):
    return ProgressReport.objects.filter(program__commitment__government=government).select_related(
        "program", "period"
    )


def _bappeda_outside(government, report):
    """Ids of the Bappeda members of ``government`` who are not in ``report``'s unit."""
    return set(
        get_user_model()
        .objects.filter(
            groups__name=policy.BAPPEDA_GROUP,
            profile__government=government,
        )
        .exclude(profile__unit=report.program.owner_unit_id)
        .values_list("pk", flat=True)
    )


def _moves(government):
    """Map report id -> [(state, user id)] of each change of state, oldest first."""
    rows = (
        ProgressReport.history.filter(program__commitment__government=government)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "state", "history_user_id")
    )
    moves, last = defaultdict(list), {}
    for report_id, state, user_id in rows:
        if last.get(report_id) != state:
            moves[report_id].append((state, user_id))
        last[report_id] = state
    return moves


def test_every_verified_report_names_a_bappeda_verifier_outside_its_unit(cilegon):
    verified = list(_reports(cilegon).filter(state=R.VERIFIED))
    assert len(verified) > 150
    wrong = [
        (str(report), report.verified_by_id)
        for report in verified
        if report.verified_by_id not in _bappeda_outside(cilegon, report)
    ]
    assert not wrong, f"{len(wrong)} of {len(verified)} verified reports: {wrong[:5]}"


def test_verification_and_return_history_name_the_reviewer(cilegon):
    moves = _moves(cilegon)
    # Every report that was ever reviewed: a returned report may have been submitted again.
    reports = [r for r in _reports(cilegon) if any(s == R.SUBMITTED for s, _u in moves[r.pk])]
    wrong, reviews = [], 0
    for report in reports:
        reviewers = _bappeda_outside(cilegon, report)
        for before, after in zip(moves[report.pk], moves[report.pk][1:], strict=False):
            if before[0] != R.SUBMITTED or after[0] not in (R.VERIFIED, R.RETURNED):
                continue
            reviews += 1
            if after[1] not in reviewers:
                wrong.append((str(report), after))
            if after[0] == R.VERIFIED and after[1] != report.verified_by_id:
                wrong.append((str(report), after, report.verified_by_id))
    assert reviews > 150
    assert not wrong, f"{len(wrong)} problems in {reviews} review moves: {wrong[:5]}"


def test_a_unit_with_an_account_submits_its_own_reports(cilegon):
    """Where the demo has an account of the unit (a unit head or operator, not a
    Bappeda or leadership role), that account submits; otherwise the system does."""
    role_groups = set(policy.ROLE_GROUPS)
    unit_accounts = defaultdict(set)
    for profile in Profile.objects.filter(government=cilegon).exclude(unit=None):
        groups = set(profile.user.groups.values_list("name", flat=True))
        if not groups & role_groups:
            unit_accounts[profile.unit_id].add(profile.user_id)
    moves = _moves(cilegon)
    submitted = list(_reports(cilegon).exclude(submitted_at=None))
    checked, wrong = 0, []
    for report in submitted:
        accounts = unit_accounts.get(report.program.owner_unit_id)
        if not accounts:
            continue
        for state, user_id in moves[report.pk]:
            if state == R.SUBMITTED:
                checked += 1
                if user_id not in accounts:
                    wrong.append((str(report), user_id))
    assert checked > 20
    assert not wrong, f"{len(wrong)} of {checked} submissions: {wrong[:5]}"


def test_reports_are_submitted_after_the_quarter_and_verified_after_submission(cilegon):
    now = timezone.now()
    submitted = list(_reports(cilegon).exclude(submitted_at=None))
    early = [
        (str(r), r.submitted_at)
        for r in submitted
        if timezone.localdate(r.submitted_at) <= status.quarter_end(r.period.year, r.period.quarter)
    ]
    verified = [r for r in submitted if r.state == R.VERIFIED]
    out_of_order = [
        (str(r), r.submitted_at, r.verified_at)
        for r in verified
        if r.verified_at is None or not r.submitted_at < r.verified_at < now
    ]
    assert not early, f"{len(early)} of {len(submitted)} submitted in their quarter: {early[:5]}"
    assert not out_of_order, (
        f"{len(out_of_order)} of {len(verified)} verified reports not verified after "
        f"submission: {out_of_order[:5]}"
    )


def test_a_rate_or_index_moves_smoothly_from_quarter_to_quarter(cilegon):
    rows = (
        IndicatorRealisation.objects.filter(
            report__program__commitment__government=cilegon,
            indicator__is_cumulative=False,
        )
        .exclude(value=None)
        .order_by(
            "report__program_id", "indicator_id", "report__period__year", "report__period__quarter"
        )
        .values_list(
            "report__program__code",
            "indicator__code",
            "report__period__year",
            "report__period__quarter",
            "value",
        )
    )
    series = defaultdict(list)
    for program, indicator, year, quarter, value in rows:
        series[program, indicator].append(((year, quarter), value))
    steps, jumps = 0, []
    for key, values in series.items():
        for (before, old), (after, new) in zip(values, values[1:], strict=False):
            steps += 1
            if abs(new - old) > abs(old) * MAX_QUARTERLY_MOVE:
                jumps.append((key, before, old, after, new))
    assert steps > 100
    assert not jumps, f"{len(jumps)} of {steps} quarter-to-quarter moves over 10 %: {jumps[:5]}"
