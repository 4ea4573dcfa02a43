"""The ``relais`` command: Django's management commands under the product's name.

``relais generate --persons 100000`` is ``python manage.py generate --persons 100000``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["relais", *sys.argv[1:]])
