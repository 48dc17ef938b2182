"""The conversation page of a report, and posting to it.

The thread is also shown on the report's page and on the unit's form (the
``conversation`` template tag); their post form sends here. With JavaScript
(``static/js/conversation.js``) the post returns just the thread, which
replaces the one on the page, so nothing typed in the report form around it
is lost; without it, the browser is sent back to the page it came from.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from conversations import services
from conversations.forms import MessageForm
from conversations.templatetags.conversation_tags import conversation_context
from programs.models import ProgressReport
from tracker import policy
from tracker.forms import add_service_errors

FRAGMENT_HEADER = "X-Conversation-Fragment"


def _back(request, report):
    """Where to go after posting: the page the form was on, if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and target.startswith("/"):
        return f"{target.split('#', 1)[0]}#conversation"
    return f"{reverse('report-detail', args=[report.pk])}#conversation"


@login_required
def report_conversation(request, pk):
    """A report's conversation: read it (whoever sees the report), post to it (its
    unit's writers and Bappeda). Another government's report is a 404."""
    report = get_object_or_404(
        policy.visible(
            request.user,
            ProgressReport.objects.select_related(
                "program", "program__owner_unit", "period", "verified_by"
            ),
        ),
        pk=pk,
    )
    form = None
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if services.side_of(request.user, report) is None:
            # Seen but not theirs to post to (leadership, a supporting unit).
            raise PermissionDenied
        if form.is_valid():
            try:
                services.post_message(report, actor=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                form = None
                if not request.headers.get(FRAGMENT_HEADER):
                    messages.success(request, _("Your message was sent."))
                    return redirect(_back(request, report))
        if form is not None:
            status = 400 if request.headers.get(FRAGMENT_HEADER) else 200
    context = {"report": report, "conversation": conversation_context(request, report, form)}
    if request.headers.get(FRAGMENT_HEADER):
        return render(request, "conversations/thread.html", context, status=status)
    return render(request, "conversations/conversation.html", context, status=status)
