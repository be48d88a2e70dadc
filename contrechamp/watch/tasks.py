"""The watch's periodic fetch (settings.PERIODIC_JOBS)."""

import logging

from django.conf import settings
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def watch_fetch() -> dict[str, int]:
    """Fetch each source named in settings.WATCH_FETCH, each from where its last fetch got
    to; a source that fails is logged and the others go on. Returns the new records of
    each source (-1 for one that failed). None named (the default): nothing is fetched,
    no request leaves the machine."""
    from contrechamp.watch.services import FETCHES

    done: dict[str, int] = {}
    for source in settings.WATCH_FETCH:
        try:
            run = FETCHES[source]()
        except Exception:
            logger.exception("watch fetch %s failed", source)
            done[source] = -1
            continue
        if run.errors:
            logger.warning("watch fetch %s: %s", source, run.error_samples[0]["error"])
        done[source] = run.new
    return done
