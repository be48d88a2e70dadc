from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only log of every action that changes data or rights."""

    name = "contrechamp.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from contrechamp.audit import recording, triggers

        connection_created.connect(
            triggers.register_sqlite_function, dispatch_uid="audit-sqlite-function"
        )
        recording.connect()
        try:
            from django_tasks.signals import task_finished, task_started
        except ImportError:  # pragma: no cover - django-tasks is a dependency
            return
        task_started.connect(_task_started, dispatch_uid="audit-task-started")
        task_finished.connect(_task_finished, dispatch_uid="audit-task-finished")


def _task_started(sender: object, task_result: object, **kwargs: object) -> None:
    from contrechamp.audit import context

    task = getattr(task_result, "task", None)
    path = getattr(task, "module_path", None) or getattr(task_result, "task_path", "") or "?"
    context.task_started(f"task {path}")


def _task_finished(sender: object, task_result: object, **kwargs: object) -> None:
    from contrechamp.audit import context

    context.task_finished()
