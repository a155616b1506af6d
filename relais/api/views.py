"""The read-only JSON API (``/api/v1/``) and the token management page.

Plain Django views returning ``JsonResponse`` (no Django REST framework: it is not in the
stack, and three GET endpoints do not need it). Authentication: ``Authorization: Bearer
<jeton>``; no session, no cookie, so no CSRF. Errors are JSON with a French ``detail``:
401 without a valid token, 403 when the token lacks the endpoint's scope, 400 on a bad filter.
"""

import base64
import binascii
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from relais.activities.enums import BREAKDOWNS, ActivityKind, Equipment, Theme
from relais.activities.models import EQUIPMENT_FIELDS, Activity, ActivityTheme
from relais.core.params import Period, PeriodError, parse_id, parse_ids, parse_period
from relais.core.perms import require
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append
from relais.reporting import disclosure, stats

from . import openapi, perms, services
from .enums import Scope
from .forms import ApiTokenForm
from .models import ApiToken

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class BadRequest(Exception):
    pass


def _error(status: int, detail: str, **headers) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def token_required(scope: str):
    """Authenticate the bearer token and require ``scope`` (the token lands on request)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            header = request.headers.get("Authorization", "")
            kind, _, secret = header.partition(" ")
            token = (
                services.api_token_authenticate(secret.strip())
                if kind.lower() == "bearer"
                else None
            )
            if token is None:
                return _error(
                    401,
                    "Authentification requise : jeton d'API absent, invalide, expiré ou révoqué "
                    "(en-tête « Authorization: Bearer <jeton> »).",
                    WWW_Authenticate='Bearer realm="relais"',
                )
            if not token.has_scope(scope):
                return _error(403, f"Ce jeton n'a pas la portée « {scope} » requise.")
            request.api_token = token
            try:
                return view(request, *args, **kwargs)
            except BadRequest as error:
                return _error(400, str(error))

        return never_cache(require_GET(wrapped))

    return decorator


# --- Filters ---------------------------------------------------------------------------------


def _ids(request, name: str) -> tuple[int, ...]:
    ids = parse_ids(request.GET.getlist(name))
    if ids is None:
        raise BadRequest(f"Paramètre « {name} » : identifiants numériques attendus.")
    return ids


def _choice(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    if value and value not in choices:
        raise BadRequest(f"Paramètre « {name} » : valeur inconnue « {value} ».")
    return value


def _period(request) -> Period:
    """``start`` and ``end``, read the same way by every endpoint (both inclusive; a month as
    ``end`` runs to its last day)."""
    try:
        return parse_period(request.GET.get("start", ""), request.GET.get("end", ""))
    except PeriodError as error:
        raise BadRequest(str(error)) from error


def _limit(request) -> int:
    text = request.GET.get("limit", "")
    if not text:
        return DEFAULT_PAGE_SIZE
    number = parse_id(text)  # ASCII digits, positive: "0", "-1" and "1e3" are refused
    if number is None or number > MAX_PAGE_SIZE:
        raise BadRequest(f"Paramètre « limit » : nombre entier entre 1 et {MAX_PAGE_SIZE} attendu.")
    return number


def stats_filters(request) -> stats.StatsFilters:
    """The dashboard's filters: period, partner, place, commune, theme, kind."""
    period = _period(request)
    start, end = period.start, period.end
    filters = {
        "partners": _ids(request, "partner"),
        "places": _ids(request, "place"),
        "communes": _ids(request, "commune"),
        "theme": _choice(request, "theme", Theme.values),
        "kind": _choice(request, "kind", ActivityKind.values),
    }
    if start is None and end is None:
        return stats.StatsFilters.last_months(12, **filters)
    default = stats.StatsFilters.last_months(12)
    # Days, exactly (15–20 November is not all November).
    result = stats.StatsFilters.between(start or default.first, end or default.last, **filters)
    if result.first > result.last:
        # Only one end given, beyond the default's other end.
        raise BadRequest("La période commence après sa fin.")
    return result


# --- Endpoints -------------------------------------------------------------------------------


@token_required(Scope.STATS_READ)
def stats_view(request):
    filters = stats_filters(request)
    # The roll-ups (kept by every write) once built; the activities until then.
    source = "rollup" if stats.rollups_ready() else "live"
    # Whoever holds the token, the figures leave the application: disclosure control always.
    result = disclosure.protect(stats.dashboard(filters, source=source))
    totals = result.totals
    figure = disclosure.json_value
    return JsonResponse(
        {
            "period": {"start": filters.first.isoformat(), "end": filters.last.isoformat()},
            "filters": {
                "partner": list(filters.partners),
                "place": list(filters.places),
                "commune": list(filters.communes),
                "theme": filters.theme,
                "kind": filters.kind,
            },
            "source": source,
            # The figures count every activity committed before this instant.
            "refreshed_at": result.computed_at.isoformat(),
            "totals": {
                "activities": figure(totals.activities),
                "individual": figure(totals.individual),
                "collective": figure(totals.collective),
                "accompaniments": figure(totals.accompaniments),
                "workshop_participants": figure(totals.workshop_participants),
                "minutes": figure(totals.minutes),
                "new_beneficiaries": figure(totals.new_beneficiaries),
                "returning_visits": figure(totals.returning_visits),
            },
            "breakdowns": {
                name: [
                    {
                        "key": row.key,
                        "label": row.label,
                        "activities": figure(row.activities),
                        "accompaniments": figure(row.accompaniments),
                    }
                    for row in breakdown.rows
                ]
                for name, breakdown in result.breakdowns.items()
            },
            "series": [
                {
                    "month": point.month.isoformat()[:7],
                    "activities": figure(point.activities),
                    "accompaniments": figure(point.accompaniments),
                }
                for point in result.series
            ],
            # null figures above: « secret statistique » (see docs/statistical-disclosure.md).
            "disclosure": {
                "threshold": result.threshold,
                "rule": result.explanation,
                "secret": sorted(result.secret),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


def encode_cursor(pk: int) -> str:
    """The last activity's id: the cursor carries no date (a quasi-identifier, see below);
    the next page reads the date of that activity again."""
    return base64.urlsafe_b64encode(str(pk).encode()).decode()


def decode_cursor(cursor: str) -> tuple[date, int]:
    try:
        pk = parse_id(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadRequest("Paramètre « cursor » invalide.") from error
    if pk is None:  # not one of ours: an id beyond the database's integers overflows the query
        raise BadRequest("Paramètre « cursor » invalide.")
    day = Activity.objects.filter(pk=pk).values_list("date", flat=True).first()
    if day is None:
        raise BadRequest(
            "Paramètre « cursor » périmé : l'activité où reprendre a été supprimée entre deux "
            "pages ; reprenez depuis la première page."
        )
    return day, pk


# Anonymous columns only (same principle as the exports): no beneficiary, no note, no adviser,
# no workshop title (free text).
ACTIVITY_FIELDS = [
    "pk", "date", "kind", "duration_minutes", "location_kind", "place_id", "place__name",
    "place__commune__name", "place__partner_id", "place__partner__name", "level", "autonomy",
    "referral", "participants_count",
    *[f"{prefix}_{value}" for prefix, vocab in BREAKDOWNS.items() for value in vocab.values],
    *EQUIPMENT_FIELDS.values(),
]  # fmt: skip


# Quasi-identifiers: with the date, the place and the person's profile, one row can single
# someone out. Only ``activities:detail`` tokens get them; others get the month instead.
QUASI_IDENTIFIERS = ("date", "place", "profiles")


def activity_row(row: dict, themes: list[str], *, detail: bool) -> dict:
    result = {
        "id": row["pk"],
        "month": row["date"].isoformat()[:7],
        "date": row["date"].isoformat(),
        "kind": row["kind"],
        "duration_minutes": row["duration_minutes"],
        "location_kind": row["location_kind"],
        "place": (
            {
                "id": row["place_id"],
                "name": row["place__name"],
                "commune": row["place__commune__name"],
            }
            if row["place_id"]
            else None
        ),
        "partner": (
            {"id": row["place__partner_id"], "name": row["place__partner__name"]}
            if row["place__partner_id"]
            else None
        ),
        "themes": themes,
        "level": row["level"],
        "autonomy": row["autonomy"],
        "referral": row["referral"],
        "participants_count": row["participants_count"],
        "profiles": {
            prefix: {value: row[f"{prefix}_{value}"] for value in vocab.values}
            for prefix, vocab in BREAKDOWNS.items()
        },
        "equipment": [value for value in Equipment.values if row[EQUIPMENT_FIELDS[value]]],
    }
    if not detail:
        for name in QUASI_IDENTIFIERS:
            del result[name]
    return result


@token_required(Scope.ACTIVITIES_READ)
def activities_view(request):
    period = _period(request)
    limit = _limit(request)
    activities = Activity.objects.all()
    if period.start:
        activities = activities.filter(date__gte=period.start)
    if period.end:
        activities = activities.filter(date__lte=period.end)
    partners, places = _ids(request, "partner"), _ids(request, "place")
    if partners:
        activities = activities.filter(place__partner_id__in=partners)
    if places:
        activities = activities.filter(place_id__in=places)
    kind = _choice(request, "kind", ActivityKind.values)
    if kind:
        activities = activities.filter(kind=kind)
    theme = _choice(request, "theme", Theme.values)
    if theme:
        activities = activities.filter(themes__theme=theme)
    cursor = request.GET.get("cursor", "")
    if cursor:
        day, pk = decode_cursor(cursor)
        activities = activities.filter(Q(date__gt=day) | Q(date=day, pk__gt=pk))
    rows = list(activities.order_by("date", "pk").values(*ACTIVITY_FIELDS)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    themes: dict[int, list[str]] = {}

    for activity_id, value in (
        ActivityTheme.objects.filter(activity_id__in=[r["pk"] for r in rows])
        .order_by("pk")
        .values_list("activity_id", "theme")
    ):
        themes.setdefault(activity_id, []).append(value)
    token = request.api_token
    journal_append(
        actor=token.created_by if token.created_by.is_active else None,
        action=JournalAction.PERSONAL_DATA_EXPORT,
        subject=token,
        details={
            "what": "export API des activités"
            + (
                " avec quasi-identifiants"
                if token.has_scope(Scope.ACTIVITIES_DETAIL)
                else " anonymisées"
            ),
            "view": "api:activities",
            "rows": len(rows),
            "query": request.GET.urlencode()[:200],
        },
    )
    next_cursor = encode_cursor(rows[-1]["pk"]) if has_more else None
    detail = token.has_scope(Scope.ACTIVITIES_DETAIL)
    return JsonResponse(
        {
            "results": [
                activity_row(row, themes.get(row["pk"], []), detail=detail) for row in rows
            ],
            "quasi_identifiers": detail,
            "next_cursor": next_cursor,
            "count": len(rows),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@never_cache
@require_GET
def openapi_view(request):
    """The OpenAPI 3.1 description (public: it describes, it gives no data)."""
    return JsonResponse(
        openapi.openapi_document(server_url=request.build_absolute_uri("/api/v1")),
        json_dumps_params={"ensure_ascii": False},
    )


# --- Token management ------------------------------------------------------------------------


@login_required
def token_list(request):
    require(perms.can_manage_tokens(request.user))
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.select_related("created_by")
    response = render(
        request, "api/token_list.html", {"form": form, "tokens": tokens, "secret": secret}
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    require(perms.can_manage_tokens(request.user))
    token = get_object_or_404(ApiToken, pk=pk)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("api:token_list")
