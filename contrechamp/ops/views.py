"""The administrators' page of periodic jobs: when each last ran, and how it ended."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from contrechamp.ops import permissions
from contrechamp.ops.services import LATE_AFTER_PERIODS, jobs_states, periodic_jobs


def period_text(every: timedelta) -> str:
    """ "every 10 minutes", "every 6 hours", "every 2 days": the largest whole unit."""
    seconds = int(every.total_seconds())
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        n = seconds // 86400
        return ngettext("every day", "every %(n)d days", n) % {"n": n}
    if seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("every hour", "every %(n)d hours", n) % {"n": n}
    if seconds % 60 == 0:
        n = seconds // 60
        return ngettext("every minute", "every %(n)d minutes", n) % {"n": n}
    return ngettext("every second", "every %(n)d seconds", seconds) % {"n": seconds}


@require_safe
def periodic_job_list(request: HttpRequest) -> HttpResponse:
    # A visitor not logged in is sent to log in (handler403); others are refused.
    if not permissions.may_read_periodic_jobs(request.user):
        raise PermissionDenied(
            _(
                "The periodic jobs are the administrators': they show whether the "
                "site's scheduler and worker run."
            )
        )
    states = jobs_states(periodic_jobs())
    rows = [(state, period_text(state.every)) for state in states]
    return render(
        request,
        "ops/periodic_jobs.html",
        {
            "rows": rows,
            "scheduler_late": [s.name for s in states if "scheduler" in s.late],
            "worker_late": [s.name for s in states if "worker" in s.late],
            "late_after": LATE_AFTER_PERIODS,
        },
    )
