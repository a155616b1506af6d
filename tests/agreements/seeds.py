"""The seed document, as shipped with the package (the demo imports it too)."""

from importlib import resources

SEED_PATH = resources.files("relais.agreements").joinpath("data/seed-conflent-canigo-2024.txt")
SEED = SEED_PATH.read_text(encoding="utf-8")
