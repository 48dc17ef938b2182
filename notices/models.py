"""A notice to one person, and how they want notices emailed.

Notices are messages about records (a report submitted, verified, returned),
not records themselves: the record's own history says who did what. So a
notice keeps no history; it only knows whether it was read and emailed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One notice to ``user``: a subject, a text and a link to what it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("user"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # A path inside the site ("/laporan/5/"); emails prefix it with SITE_URL.
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Empty while it waits for the daily digest (or when there is no address).
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # The navbar's unread count, on every page.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notice_unread_by_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.subject}"

    @property
    def is_read(self):
        return self.read_at is not None


class NoticePreference(models.Model):
    """How a person wants their notices emailed: each at once (the default), or all of
    a day's in one digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name=_("user"),
    )
    daily_digest = models.BooleanField(
        _("one email a day"),
        default=False,
        help_text=_("Collect the day's notices in one email instead of one email each."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self):
        return str(self.user)
