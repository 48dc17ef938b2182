"""Which government a new record goes to: the user's own, or the one a superuser picks.

Shared by every "new ..." page (commitment, RPJMD plan, unit, official, account).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tracker import policy
from tracker.forms import parse_id
from tracker.models import Government


def government_for_new(request):
    """The government a new record or account goes to.

    Everyone but a superuser works in their own government, and a
    ``government`` parameter naming another is refused (404). A superuser
    picks one with ``?government=<id>``; ``None`` means "ask first" (unless
    there is only one).
    """
    actor = policy.actor_for(request.user)
    raw_id = request.GET.get("government") or request.POST.get("government")
    government_id = parse_id(raw_id)
    if raw_id and government_id is None:
        raise Http404
    if actor.role != policy.Role.SUPERUSER:
        if government_id is not None and government_id != actor.government_id:
            raise Http404
        return get_object_or_404(Government, pk=actor.government_id)
    if government_id is not None:
        return get_object_or_404(Government, pk=government_id)
    governments = Government.objects.all()
    return governments.get() if governments.count() == 1 else None


def choose_government(request, title):
    """The superuser's first step on a "new ..." page: which government?"""
    return render(
        request,
        "tracker/choose_government.html",
        {"governments": Government.objects.order_by("name"), "title": title},
    )
