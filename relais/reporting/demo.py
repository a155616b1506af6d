"""Demo data: the statistics' roll-ups, built once the other apps have loaded their activities
(written in bulk, outside the services that keep the roll-ups), so the demo's first screen
shows its figures."""

from .rollup import rebuild


def load(ctx) -> None:
    rebuild()
