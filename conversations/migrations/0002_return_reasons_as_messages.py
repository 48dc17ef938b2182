"""Every return recorded before conversations existed becomes a message from Bappeda.

A return is a history row of a report whose state went from "submitted" to
"returned"; its reason is the row's ``return_reason`` (or, failing that, its
change reason), its author the row's user, its time the row's time. Each new
message gets its own creation row in the messages' history, naming the same
user and the reason. Run again, it adds nothing twice.
"""

from django.db import migrations


def returns_to_messages(apps, schema_editor):
    HistoricalReport = apps.get_model("programs", "HistoricalProgressReport")
    Message = apps.get_model("conversations", "Message")
    HistoricalMessage = apps.get_model("conversations", "HistoricalMessage")
    rows = HistoricalReport.objects.order_by("id", "history_id").values_list(
        "id", "state", "return_reason", "history_change_reason", "history_user_id", "history_date"
    )
    previous = {}
    for report_id, state, return_reason, change_reason, user_id, when in rows.iterator():
        before, previous[report_id] = previous.get(report_id), state
        if not (before == "submitted" and state == "returned"):
            continue
        body = (return_reason or change_reason or "").strip()
        if not body or Message.objects.filter(report_id=report_id, created_at=when).exists():
            continue
        message = Message.objects.create(
            report_id=report_id, author_id=user_id, side="bappeda", body=body, created_at=when
        )
        HistoricalMessage.objects.create(
            id=message.id,
            report_id=report_id,
            author_id=user_id,
            side="bappeda",
            body=body,
            created_at=when,
            history_date=when,
            history_type="+",
            history_user_id=user_id,
            history_change_reason=body,
        )


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(returns_to_messages, migrations.RunPython.noop)]
