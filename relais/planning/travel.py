"""Travel time between communes, for the checks and replacement candidates (and the planner).

By default an estimate: the straight-line (haversine) distance between the communes'
centroids, times ``ROAD_FACTOR`` = 1.4 because the Conflent's mountain roads wind (the usual
detour index is about 1.3 on plains; valleys and passes are worse), driven at
``AVERAGE_SPEED_KMH`` = 50 km/h (departmental roads through villages). Prades → Vinça
(≈ 9.5 km straight) gives ≈ 16 minutes, which matches the road.

When ``settings.RELAIS_TRAVEL_MATRIX`` names a CSV file with the columns
``from_commune,to_commune,minutes`` (commune names as in the database, either order), its
figures win; pairs missing from the file fall back to the estimate. Everything is cached:
the matrix is read once per file, and each pair is computed once per process.

The straight line misleads where a massif stands between two communes (Prades and
Arles-sur-Tech: 23 min « as the crow flies », more than an hour by road around the Canigó):
:func:`travel_doubt` flags estimated legs of at least ``DOUBTFUL_ESTIMATE_MINUTES`` so the
planner can say which of its drives rest on the estimate. How to compute a real matrix
with OSRM or Valhalla from OpenStreetMap: docs/operations.md, « Travel-time matrix ».
"""

import csv
import functools
import math
from pathlib import Path

from django.conf import settings

ROAD_FACTOR = 1.4
AVERAGE_SPEED_KMH = 50
EARTH_RADIUS_KM = 6371.0
DOUBTFUL_ESTIMATE_MINUTES = 40


def haversine_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Great-circle distance in kilometres."""
    phi_a, phi_b = math.radians(lat_a), math.radians(lat_b)
    d_phi = phi_b - phi_a
    d_lambda = math.radians(lon_b - lon_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@functools.lru_cache(maxsize=65536)
def _estimate(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> int:
    km = haversine_km(lat_a, lon_a, lat_b, lon_b) * ROAD_FACTOR
    return math.ceil(km / AVERAGE_SPEED_KMH * 60)


def _key(name: str) -> str:
    return name.strip().casefold()


@functools.cache
def _matrix(path: str) -> dict[tuple[str, str], int]:
    figures = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = _key(row["from_commune"]), _key(row["to_commune"])
            minutes = round(float(row["minutes"]))
            figures[(a, b)] = minutes
            figures.setdefault((b, a), minutes)
    return figures


def travel_minutes(commune_a, commune_b) -> int:
    """Minutes to drive from one commune to another (0 within a commune)."""
    if commune_a.pk == commune_b.pk:
        return 0
    path = settings.RELAIS_TRAVEL_MATRIX
    if path:
        found = _matrix(str(path)).get((_key(commune_a.name), _key(commune_b.name)))
        if found is not None:
            return found
    return _estimate(
        float(commune_a.latitude),
        float(commune_a.longitude),
        float(commune_b.latitude),
        float(commune_b.longitude),
    )


def from_matrix(commune_a, commune_b) -> bool:
    """Whether the pair's time comes from the operator's matrix (not the estimate)."""
    path = settings.RELAIS_TRAVEL_MATRIX
    if commune_a.pk == commune_b.pk or not path:
        return commune_a.pk == commune_b.pk
    return (_key(commune_a.name), _key(commune_b.name)) in _matrix(str(path))


def travel_doubt(commune_a, commune_b) -> str | None:
    """A French warning when the pair's time is a long straight-line estimate, else None."""
    if from_matrix(commune_a, commune_b):
        return None
    minutes = travel_minutes(commune_a, commune_b)
    if minutes < DOUBTFUL_ESTIMATE_MINUTES:
        return None
    return (
        f"Trajet {commune_a.name} – {commune_b.name} estimé à {minutes} min à vol d'oiseau : "
        "en montagne la route peut être bien plus longue ; à vérifier, ou fournir une matrice "
        "de temps de trajet (RELAIS_TRAVEL_MATRIX)."
    )


def clear_cache() -> None:
    """Forget cached figures (after replacing the matrix file, and in tests)."""
    _estimate.cache_clear()
    _matrix.cache_clear()
