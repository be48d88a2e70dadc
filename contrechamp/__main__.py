"""The `contrechamp` command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([sys.argv[0], *sys.argv[1:]])
    except BrokenPipeError:
        # `contrechamp watch candidates | head`: the reader has all it wanted. Python's
        # own advice: point stdout at nothing, so that its flush at exit says nothing
        # either (a traceback ended the list).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
