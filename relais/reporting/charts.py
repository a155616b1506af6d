"""Server-side SVG charts (matplotlib), the same chart in the web page and in PDFs.

Stable API, imported by the dashboard, the monthly partner report and the committee pages:

* :func:`bar_chart` (horizontal bars, one per label) and :func:`line_chart` (monthly series)
  return an SVG document as ``str`` beginning with ``<svg`` (no XML prolog), carrying
  ``role="img"``, a ``<title>`` and a ``<desc>`` (screen readers; the page must still offer
  the figures as a data table — see ``reporting/includes/chart.html``);
* :func:`breakdown_chart` and :func:`series_chart` draw the results of ``relais.reporting.stats``;
* :func:`data_uri` turns an SVG into ``data:image/svg+xml;base64,…`` for ``<img src>``.

**CSP**: matplotlib's SVG holds a ``<style>`` element, which the Content-Security-Policy
(no inline style) blocks inside an HTML page. Web pages therefore embed charts with
``<img src="{{ chart|data_uri }}" alt="…">`` (``img-src`` allows ``data:``) and never inline
them; WeasyPrint PDFs may inline the SVG string directly.

Output is deterministic (fixed ``svg.hashsalt``, no date metadata), text stays text
(``svg.fonttype = none``), so tests can search the SVG for labels.

**Cache** (docs/decisions/0010-statistics-charts-cache.md): a drawing costs 0.1–0.5 s, so each
chart is kept by what it shows — its key is a hash of the figures, labels and title, hence a
data change draws anew and nothing needs invalidating — in the process (``lru_cache``) and in
Django's shared cache (the database's cache table by default), so that one worker's drawing
serves every worker and every machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import threading
from datetime import date
from functools import lru_cache
from html import escape

import matplotlib
from django.core.cache import cache

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relais.core.french import MONTHS_SHORT

PRIMARY = "#1d4f91"
SECONDARY = "#c2571a"
TEXT = "#1e1e1e"
GRID = "#d0d4da"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "relais",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
}
MAX_BARS = 15
_LOCK = threading.Lock()  # rc_context is process-wide state
# Part of every cache key: change it when the drawing changes (colours, sizes, fonts), since
# the shared cache outlives a deployment.
DRAWING_VERSION = "1"
# Figures change with every recorded activity: old drawings are left to expire within a day
# rather than fill the cache table (its cull would take rate-limit counters with them).
SHARED_SECONDS = 24 * 60 * 60


def _shared(kind: str, draw, *args) -> str:
    """``draw(*args)``, or the SVG another process drew for the same arguments."""
    digest = hashlib.sha256(repr((kind, args)).encode()).hexdigest()
    key = f"relais:chart:{DRAWING_VERSION}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw(*args)
        cache.set(key, svg, SHARED_SECONDS)
    return svg


def _svg(figure: Figure, title: str, desc: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    ident = "chart-" + hashlib.sha256((title + desc).encode()).hexdigest()[:10]
    accessible = f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc"'
    text = text.replace("<svg", accessible, 1)
    head_end = text.index(">") + 1
    text = (
        text[:head_end]
        + f'\n<title id="{ident}-title">{escape(title)}</title>'
        + f'\n<desc id="{ident}-desc">{escape(desc)}</desc>'
        + text[head_end:]
    )
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)


def _describe(rows: list[tuple[str, int]], unit: str) -> str:
    if not rows:
        return "Aucune donnée pour ces critères."
    parts = [f"{label} : {value} {unit}".strip() for label, value in rows]
    return " ; ".join(parts) + "."


def bar_chart(
    title: str, rows: list[tuple[str, int]], *, unit: str = "", desc: str | None = None
) -> str:
    """Horizontal bars, in the given order (the first row on top); at most ``MAX_BARS`` bars,
    the rest summed as « Autres ». ``desc`` defaults to the list of values in French.
    Kept by its figures, in the process and in the shared cache (see the module docstring)."""
    return _bar_chart(title, tuple((str(k), int(v)) for k, v in rows), unit, desc)


@lru_cache(maxsize=256)
def _bar_chart(title: str, rows: tuple, unit: str, desc: str | None) -> str:
    return _shared("bar", _draw_bar_chart, title, rows, unit, desc)


def _draw_bar_chart(title: str, rows: tuple, unit: str, desc: str | None) -> str:
    rows = list(rows)
    if len(rows) > MAX_BARS:
        rest = sum(value for _, value in rows[MAX_BARS - 1 :])
        rows = [*rows[: MAX_BARS - 1], ("Autres", rest)]
    desc = desc or _describe(rows, unit)
    with _LOCK, rc_context(RC):
        height = 0.9 + 0.32 * max(len(rows), 1)
        figure = Figure(figsize=(7.2, height))
        axes = figure.add_subplot()
        labels = [_shorten(label) for label, _ in rows][::-1]
        values = [value for _, value in rows][::-1]
        bars = axes.barh(range(len(rows)), values, color=PRIMARY, height=0.65)
        axes.set_yticks(range(len(rows)), labels)
        axes.bar_label(bars, padding=3, fontsize=9, color=TEXT)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x", color=GRID, linewidth=0.5)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if unit:
            axes.set_xlabel(unit)
        axes.margins(x=0.12)
        figure.tight_layout()
        return _svg(figure, title, desc)


def line_chart(
    title: str,
    months: list[date],
    series: dict[str, list[int]],
    *,
    desc: str | None = None,
) -> str:
    """One line per series over ``months`` (first days of months), French month labels.
    Kept like :func:`bar_chart`. A ``None`` value (a secret figure) draws no point."""
    frozen = tuple(
        (name, tuple(None if v is None else int(v) for v in values))
        for name, values in series.items()
    )
    return _line_chart(title, tuple(months), frozen, desc)


@lru_cache(maxsize=128)
def _line_chart(title: str, months: tuple, frozen: tuple, desc: str | None) -> str:
    return _shared("line", _draw_line_chart, title, months, frozen, desc)


def _draw_line_chart(title: str, months: tuple, frozen: tuple, desc: str | None) -> str:
    series = dict(frozen)
    labels = [f"{MONTHS_SHORT[m.month - 1]} {m:%y}" for m in months]
    if desc is None:
        desc = " ".join(
            f"{name} : "
            + ", ".join(
                f"{label} {'secret' if value is None else value}"
                for label, value in zip(labels, values, strict=True)
            )
            + "."
            for name, values in series.items()
        )
    with _LOCK, rc_context(RC):
        figure = Figure(figsize=(7.2, 3.2))
        axes = figure.add_subplot()
        styles = [(PRIMARY, "o", "-"), (SECONDARY, "s", "--"), ("#3b7d3b", "^", ":")]
        for (name, values), (colour, marker, line) in zip(series.items(), styles, strict=False):
            axes.plot(labels, values, color=colour, marker=marker, linestyle=line, label=name)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", color=GRID, linewidth=0.5)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        if len(series) > 1:
            axes.legend(frameon=False, fontsize=9)
        figure.tight_layout()
        return _svg(figure, title, desc)


def _shorten(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def breakdown_chart(result) -> str:
    """Bar chart of a ``stats.Breakdown``."""
    return bar_chart(result.title, result.counts(), unit=result.unit_label)


def series_chart(points, title: str = "Activités et accompagnements sur 12 mois") -> str:
    """Line chart of ``stats.monthly_series``: activities and accompaniments per month."""
    return line_chart(
        title,
        [p.month for p in points],
        {
            # A secret figure (statistical disclosure control) draws no point.
            "Activités": [_drawn(p.activities) for p in points],
            "Accompagnements": [_drawn(p.accompaniments) for p in points],
        },
    )


def _drawn(value):
    return value if isinstance(value, int) else None


def data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,…`` for ``<img src>`` (CSP-safe, see the module docstring)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
