"""Background work of requests: the daily pass that records implicit refusals and
e-mails reminders (the scheduler queues it; `contrechamp access daily` runs it by hand)."""

from django_tasks import task

from contrechamp.access.services.reminders import daily_pass


@task()
def daily() -> dict[str, int]:
    """Record the implicit refusals whose date has come, then e-mail what is due."""
    return daily_pass()
