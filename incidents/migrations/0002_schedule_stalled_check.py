"""Check every five minutes for imports whose worker is gone (editable in the admin)."""

from __future__ import annotations

from django.db import migrations

TASK = "incidents.tasks.mark_stalled_imports"


def schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = interval_model.objects.get_or_create(every=5, period="minutes")
    task_model.objects.get_or_create(
        name="Mark stalled imports failed", defaults={"task": TASK, "interval": every}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
