"""The ``relais`` console script: Django's management entry point for this project.

``relais migrate``, ``relais runserver``, ``relais demo``… work from any directory once the
package is installed. Without ``DJANGO_SETTINGS_MODULE`` the production settings are used
(base settings configured by the environment), so a server never runs dev settings by accident.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
