"""The navbar's unread count: one query per page, remembered on the request."""

from django import template

from notices.models import Notice

register = template.Library()


@register.inclusion_tag("notices/nav_count.html", takes_context=True)
def notices_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    count = getattr(request, "_unread_notices", None)
    if count is None:
        count = Notice.objects.filter(user=user, read_at__isnull=True).count()
        request._unread_notices = count
    return {"show": True, "count": count}
