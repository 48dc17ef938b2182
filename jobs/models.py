"""Background jobs: what was asked for, how far it got, and what came out.

A job is operational bookkeeping, not a domain record: its progress changes
every second while it runs, so it has no history table. What a job produces
that matters (an issued report) is a history-tracked record of its own.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import Government


def export_path(instance, filename):
    # A random folder per job: names never collide and are not guessable.
    return f"exports/{instance.government_id}/{secrets.token_hex(8)}/{filename}"


class Job(models.Model):
    """One background job started from the web (or the benchmark), with its progress."""

    class Kind(models.TextChoices):
        REPORT_PDF = "report_pdf", _("Quarterly report (PDF)")
        REPORT_EXCEL = "report_excel", _("Evaluation table (Excel)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Waiting for a free worker")
        READING = "reading", _("Reading the verified figures")
        LAYOUT = "layout", _("Laying out the document")
        SEALING = "sealing", _("Sealing the document")
        STORING = "storing", _("Storing the file")
        FINISHED = "finished", _("Finished")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="+", verbose_name=_("government")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty for jobs the system started."),
    )
    title = models.CharField(_("title"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.WAITING)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    # How often a worker started the current attempt: a worker that died
    # mid-job (its message redelivered) gets one more run, then the job fails.
    runs = models.PositiveSmallIntegerField(_("runs of this attempt"), default=0)
    # The job's last sign of life (queued, started, progressed): the watchdog
    # fails a pending job that has been silent too long (jobs.services).
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    report = models.ForeignKey(
        "reports.GeneratedReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued report"),
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The one-time token of the form that asked for the job: the same form sent
    # twice (a double click, a reload) finds this job instead of starting another.
    form_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "form_token", "kind"],
                condition=models.Q(form_token__isnull=False),
                name="job_unique_form_token",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def pending(self):
        """Still waiting or running: the page keeps polling."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)
