"""Background work of requests: the daily pass that records implicit refusals and
e-mails reminders."""

from django_tasks import task

from contrechamp.access.services import implicit_refusals_record, reminders_send


@task()
def daily() -> dict[str, int]:
    """Record the implicit refusals whose date has come, then e-mail what is due."""
    return {"implicit_refusals": implicit_refusals_record(), "reminders": reminders_send()}
