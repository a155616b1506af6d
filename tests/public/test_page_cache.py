"""The public pages' cache (issue 19 §2, relais.core.pagecache): served from the cache to
visitors, revalidated by ETag / Last-Modified, and a change made through the services shows at
once on the place it concerns — and only there."""

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.core import pagecache
from relais.places.models import Place
from relais.planning import services as planning_services
from relais.workshops import services as workshop_services

from ..factories import PlaceFactory
from ..helpers import page_text
from ..workshops.factories import WorkshopTopicFactory

pytestmark = pytest.mark.django_db


def _place_url(place):
    return reverse("public:place", kwargs={"slug": place.slug})


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


PUBLIC = [
    ("public:place_index", False),
    ("public:place", True),
    ("public:place_feed", True),
    ("workshops:catalogue", False),
]


@pytest.mark.parametrize(("name", "per_place"), PUBLIC)
def test_a_public_page_is_built_once_then_revalidated(client, prades, name, per_place):
    url = reverse(name, kwargs={"slug": prades.slug} if per_place else None)
    first, built = _queries(client, url)
    again, cached = _queries(client, url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert built > 0 and cached == 0  # the test cache is in memory: no database at all
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified and again["ETag"] == etag
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304 and not revalidated.content
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_a_closure_shows_at_once_on_its_place_only(client, prades, advisor, make_slot, december):
    elsewhere = PlaceFactory(partner=prades.partner)
    make_slot(prades, [advisor], weekday=4)
    make_slot(elsewhere, [advisor], weekday=4)
    before = page_text(client.get(_place_url(prades)))
    assert "Vendredi 4 décembre, 9 h – 12 h" in before
    other_etag = client.get(_place_url(elsewhere))["ETag"]
    planning_services.closure_create(
        place=prades,
        start_date=date(2026, 12, 2),
        end_date=date(2026, 12, 31),
        reason="Inventaire annuel",
    )
    after = client.get(_place_url(prades))
    assert "Vendredi 4 décembre, 9 h – 12 h" not in page_text(after)
    # The other place's page was not thrown away: still served from the cache.
    response, count = _queries(client, _place_url(elsewhere))
    assert (response["ETag"], count) == (other_etag, 0)
    # The index lists every place: it follows any change.
    index = reverse("public:place_index")
    client.get(index)
    planning_services.closure_create(
        place=elsewhere, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3), reason="Travaux"
    )
    assert _queries(client, index)[1] > 0


def test_a_published_topic_shows_at_once_in_the_catalogue(client, prades):
    url = reverse("workshops:catalogue")
    client.get(url)
    topic = WorkshopTopicFactory(title="Sécuriser son téléphone", status="draft")
    workshop_services.topic_publish(topic=topic)
    _, count = _queries(client, url)
    assert count > 0  # rebuilt, not the cached page


def test_staff_are_never_served_the_visitors_copy(coordinator_client, client, prades):
    url = _place_url(prades)
    client.get(url)
    response, count = _queries(coordinator_client, url)
    assert count > 0 and "Se déconnecter" in response.content.decode()
    assert "Se déconnecter" not in client.get(url).content.decode()


def test_a_change_made_by_another_process_shows_within_two_seconds(client, prades):
    """Each process keeps the pages it served for two seconds (``CACHES["public_pages"]``)
    before asking the shared cache; another gunicorn worker's change reaches only the shared
    cache, as simulated here by drawing the place's new version there and nowhere else."""
    url = _place_url(prades)
    first = client.get(url)
    Place.objects.filter(pk=prades.pk).update(name="Médiathèque renommée")  # no service: no bump
    cache.set(pagecache._place_key(prades.slug), "drawn-by-another-worker")
    # time-machine moves time.time(), the clock of the in-memory cache's expiry. The moves are
    # relative to the suite's frozen clock (tests/conftest.py), so they hold on any date.
    with time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False):
        response, count = _queries(client, url)
        assert (response.content, count) == (first.content, 0)  # this process's copy
    with time_machine.travel(timezone.now() + timedelta(seconds=2.5), tick=False):
        response, count = _queries(client, url)
    assert count > 0 and "Médiathèque renommée" in page_text(response)


def test_a_visit_within_two_seconds_costs_no_round_trip_even_to_the_shared_cache(client, prades):
    url = _place_url(prades)
    client.get(url)
    shared = caches["default"]
    with mock.patch.object(shared, "get_many", side_effect=AssertionError("shared cache read")):
        assert client.get(url).status_code == 200


def test_the_page_sent_again_by_the_process_is_the_finished_one(client, prades):
    """PublicPageMiddleware sends the stored response before the other middlewares run: it must
    carry everything they add (security, CSP, frame options, Vary), and still answer 304."""
    url = _place_url(prades)
    first = client.get(url)
    with mock.patch("relais.core.pagecache._shared_entry", side_effect=AssertionError("stack")):
        again = client.get(url)
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert {"Content-Security-Policy", "X-Frame-Options", "Vary"} <= set(first.headers)
    assert revalidated.status_code == 304 and revalidated["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "cookie", ["sessionid", "messages"], ids=["any session, even expired", "a one-off message"]
)
def test_a_visitor_with_a_session_or_a_message_goes_through_the_whole_stack(client, prades, cookie):
    url = _place_url(prades)
    client.get(url)
    client.cookies[cookie] = "quelque-chose"
    kept = caches["public_pages"]
    with mock.patch.object(kept, "get", side_effect=AssertionError("served the kept copy")):
        response = client.get(url)
    assert response.status_code == 200 and "Prades" in page_text(response)


def test_a_response_that_sets_a_cookie_is_never_kept_for_the_next_visitor(client, prades):
    url = _place_url(prades)
    with mock.patch.object(
        pagecache, "_conditional", side_effect=_with_cookie(pagecache._conditional)
    ):
        client.get(url)
    assert not caches["public_pages"].get("public:final:" + _digest(url))
    assert client.get(url).cookies.get("visitor") is None


def _with_cookie(conditional):
    def wrapped(request, entry):
        response = conditional(request, entry)
        response.set_cookie("visitor", "1")
        return response

    return wrapped


def _digest(url):
    from django.test import RequestFactory

    return pagecache._path_digest(RequestFactory().get(url))
