"""Tasks used by the worker's tests (importable by a worker started in a subprocess)."""

import time
from pathlib import Path

from django_tasks import TaskContext, task


@task(takes_context=True)
def note_attempt(context: TaskContext, path: str, sleep_first: float = 0) -> int:
    """Append the attempt's number to ``path``; the first attempt then sleeps (to be killed)."""
    with Path(path).open("a") as file:
        file.write(f"{context.attempt}\n")
    if context.attempt == 1 and sleep_first:
        time.sleep(sleep_first)
    return context.attempt
