"""docs/performance.md is shared by every benchmark: each one rewrites only its own section."""

import os
import platform
import re
from datetime import datetime
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
HEADER = (
    "# Performance\n\n"
    "Written by the benchmarks under `bench/`; do not edit by hand. Each section is replaced "
    "by the command named in it. Benchmarks are never timed tests: they measure, write here, "
    "and exit non-zero when a target is missed.\n"
)


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section between ``<!-- bench:NAME -->`` markers."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    if not text.startswith("# Performance"):
        text = HEADER
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")


def run_lines(details: str) -> list[str]:
    """The date and machine lines every section starts with; ``details`` ends the machine's
    (the database, the load average: what makes this run's figures comparable or not)."""
    return [
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}{details}",
    ]


def targets_table(checks, missed: str = "**NO**") -> list[str]:
    """The « Targets » table of ``(measure, measured, target, met)`` rows."""
    return [
        "### Targets",
        "",
        "| measure | measured | target | met |",
        "|---|---|---|---|",
        *[f"| {name} | {value} | {target} | {'yes' if ok else missed} |"
          for name, value, target, ok in checks],
    ]  # fmt: skip
