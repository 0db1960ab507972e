"""Run the trend analysis every night at ANALYSIS_NIGHTLY_AT, local time (editable in the admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

TASK = "incidents.tasks.nightly_trend_analysis"


def schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    hour, minute = settings.ANALYSIS_NIGHTLY_AT.split(":")
    nightly, _ = crontab_model.objects.get_or_create(
        minute=str(int(minute)),
        hour=str(int(hour)),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task_model.objects.get_or_create(
        name="Nightly trend analysis", defaults={"task": TASK, "crontab": nightly}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_analysisrun_analysislineresult_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
