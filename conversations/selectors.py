"""Reading a report's conversation."""

from conversations.models import Message


def thread(report):
    """The messages of ``report``, oldest first, with their authors (one query).

    The caller fetched ``report`` through the user's visible reports, so whoever
    sees the report reads its conversation.
    """
    return list(
        Message.objects.filter(report=report).select_related("author").order_by("created_at", "id")
    )
