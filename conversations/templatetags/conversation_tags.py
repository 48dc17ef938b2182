"""``{% conversation report as conversation %}``: what the thread template shows.

A tag, so that any page showing a report (its review page, the unit's form)
includes the thread with one line, without its view having to know about it.
"""

from django import template

from conversations import selectors, services
from conversations.forms import MessageForm

register = template.Library()


def conversation_context(request, report, form=None):
    """The thread of ``report`` for ``request.user``: its messages, whether they may
    post (and the form, with what they typed after an error), and where the form
    came from (to go back there after posting)."""
    if not report or getattr(report, "pk", None) is None:
        return None
    side = services.side_of(request.user, report)
    can_post = side is not None and not report.period.is_locked
    return {
        "side": side,
        # Someone who could post, told why they cannot now.
        "closed": side is not None and report.period.is_locked,
        "report": report,
        "messages": [
            {"message": m, "author": services.author_name(m)} for m in selectors.thread(report)
        ],
        "can_post": can_post,
        "form": (form or MessageForm()) if can_post else None,
        "next": request.POST.get("next") if request.method == "POST" else request.get_full_path(),
    }


@register.simple_tag(takes_context=True)
def conversation(context, report):
    return conversation_context(context["request"], report)
