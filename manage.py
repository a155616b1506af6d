#!/usr/bin/env python
"""Development shortcut; ``relais`` (the installed console script) is the same entry point."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from relais.__main__ import main

    sys.exit(main())
