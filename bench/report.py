"""docs/performance.md is shared by every benchmark: each one rewrites only its own section."""

import re
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
