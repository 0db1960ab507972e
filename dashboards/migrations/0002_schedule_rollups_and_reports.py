"""Schedule the roll-ups nightly at 03:00 and the monthly reports at 06:00 on the first of the
month, in the portal's time zone (both editable in the admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

REFRESH = "dashboards.tasks.refresh_rollups"
REPORTS = "dashboards.tasks.send_monthly_reports"


def schedule(apps, schema_editor):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    task = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = crontab.objects.get_or_create(
        minute="0",
        hour="3",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone=settings.TIME_ZONE,
    )
    monthly, _ = crontab.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_month="1",
        month_of_year="*",
        day_of_week="*",
        timezone=settings.TIME_ZONE,
    )
    task.objects.get_or_create(
        name="Refresh dashboard roll-ups", defaults={"task": REFRESH, "crontab": nightly}
    )
    task.objects.get_or_create(
        name="Email monthly reports to managers", defaults={"task": REPORTS, "crontab": monthly}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[REFRESH, REPORTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
