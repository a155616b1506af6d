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


class SlowFirstWrite:
    """The beneficiaries import, whose first write sleeps once its rows are written but before
    the commit (RELAIS_TEST_KILL_MARKER says when): the moment a test kills the worker."""

    PREVIEW_COLUMNS = ()

    @staticmethod
    def check(*, job, content: bytes, progress):
        from relais.beneficiaries.importing import JobSteps

        return JobSteps.check(job=job, content=content, progress=progress)

    @staticmethod
    def write(*, job, rows):
        import os

        from relais.beneficiaries.importing import JobSteps

        counts = JobSteps.write(job=job, rows=rows)
        marker = Path(os.environ["RELAIS_TEST_KILL_MARKER"])
        if not marker.exists():
            marker.write_text("written, not committed\n")
            time.sleep(120)
        return counts
