"""The Celery application: background jobs and the reminder schedule.

A worker: ``.venv/bin/celery -A tracker worker`` (README, "Scaling out").
Without CELERY_BROKER_URL every task runs eagerly in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
