"""Public pages of the places (no login), their feeds and posters; « Mon agenda » for advisers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from relais.core.pagecache import cached_public_page
from relais.core.site import site_url
from relais.places.models import Place

from . import feeds, opendata, posters, queries, services

FEED_MAX_AGE = 300  # seconds: calendar apps refresh often enough to see a cancellation


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    return response


def _public_place(slug: str) -> Place:
    return get_object_or_404(Place.objects.active().select_related("commune"), slug=slug)


@require_GET
@cached_public_page
def place_index(request):
    """Public: the places by commune, with their next permanence; ``?commune=`` narrows."""
    search = request.GET.get("commune", "").strip()[:100]
    places = queries.public_places(search)
    next_by_place = queries.next_permanence_by_place(places)
    rows = [{"place": p, "next": next_by_place.get(p.pk)} for p in places]
    return render(
        request,
        "public/place_index.html",
        {"rows": rows, "search": search, "weeks": queries.HORIZON_WEEKS},
    )


@require_GET
@cached_public_page
def place_detail(request, slug: str):
    """Public: where, when, how to come, the next permanences and workshops of a place."""
    place = _public_place(slug)
    return render(
        request,
        "public/place_detail.html",
        {
            "place": place,
            "schedule": queries.weekly_schedule(place),
            "permanences": queries.next_permanences(place),
            "weeks": queries.HORIZON_WEEKS,
            "osm_url": queries.osm_url(place),
            "appointment_url": queries.appointment_url(place),
            "mention": posters.mandatory_mention(),
        },
    )


@require_GET
@cached_public_page
def place_feed(request, slug: str):
    """Public: the iCalendar feed of a place (permanences and workshops)."""
    place = _public_place(slug)
    return _calendar_response(feeds.place_calendar(place), f"permanences-{place.slug}.ics")


@require_GET
def place_poster(request, slug: str):
    """Public: the poster of a place, A4 by default, ``?format=a3`` for A3."""
    place = _public_place(slug)
    paper = posters.paper_format(request.GET.get("format"))
    response = HttpResponse(posters.render_poster_pdf(place, paper), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{posters.poster_filename(place, paper)}"'
    return response


@require_GET
def advisor_feed(request, token: str):
    """Private, by secret link: an adviser's permanences and workshops. 404 when not valid."""
    feed_token = services.feed_token_check(token)
    if feed_token is None:
        raise Http404
    advisor = feed_token.advisor
    return _calendar_response(feeds.advisor_calendar(advisor), "mon-agenda.ics")


def _advisor_of(user):
    advisor = getattr(user, "advisor", None)
    if advisor is None:
        raise PermissionDenied  # « Mon agenda » is the advisers' page
    return advisor


def _agenda(request, advisor, *, issued=None, revoked=False):
    feed_url = None
    if issued is not None and issued.token:
        path = reverse("public:advisor_feed", kwargs={"token": issued.token})
        feed_url = site_url(path)
    return render(
        request,
        "public/my_agenda.html",
        {
            "advisor": advisor,
            "active_token": advisor.feed_tokens.active().first(),
            "feed_url": feed_url,
            "issued_elsewhere": issued is not None and not issued.token,
            "revoked": revoked,
        },
    )


@never_cache
@login_required
def my_agenda(request):
    """Staff (advisers): subscribe their calendar app to their permanences."""
    return _agenda(request, _advisor_of(request.user))


@never_cache
@login_required
@require_POST
def feed_token_create(request):
    """Create (or replace) the secret link; it is shown once, in this response only."""
    advisor = _advisor_of(request.user)
    issued = services.feed_token_issue(advisor=advisor)
    return _agenda(request, advisor, issued=issued)


@never_cache
@login_required
@require_POST
def feed_token_revoke(request):
    advisor = _advisor_of(request.user)
    services.feed_token_revoke(advisor=advisor)
    return _agenda(request, advisor, revoked=True)


@require_GET
def opendata_json(request):
    """Public: the active places in the « Lieux de médiation numérique » standard, as JSON."""
    response = JsonResponse(opendata.json_payload(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def opendata_csv(request):
    """Public: the same data as the standard's CSV file."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lieux-mediation-numerique.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    opendata.write_csv(opendata.opendata_rows(), response)
    return response
