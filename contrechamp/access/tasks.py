"""Background work of requests: the daily reminder e-mails."""

from django_tasks import task

from contrechamp.access.services import reminders_send


@task()
def send_reminders() -> int:
    return reminders_send()
