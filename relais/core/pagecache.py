"""The public pages' cache (issue 19 §2): places, permanences, workshop catalogue, iCal feeds
and posters are the same for every visitor, so they are built once and served from Django's
cache (``CACHES``: PostgreSQL's table in production, docs/decisions/0009-public-page-cache.md)
with an ETag and a Last-Modified that let browsers and the reverse proxy revalidate (304).

Invalidation is explicit and per place: the services that change what a public page shows
(a permanence, a closure, a workshop session, a place) call ``public_pages_changed(place)``.
It draws a new version for that place and for the pages listing every place (index,
catalogue); an entry built under an older version is never served again. No signals: a write
that bypasses the services would also bypass their rules.

An entry lives at most ``PAGE_TTL`` seconds and its key holds the day, because the pages say
« prochaines permanences » relative to now: a permanence that ends drops off within minutes.

Two levels. ``PublicPageMiddleware``, first after the static files, keeps in each process the
finished responses (every middleware's headers included) it sent to visitors in the last two
seconds (``CACHES["public_pages"]``, in memory) and sends them again without running the rest
of the stack or any query: under load most visits cost less than a one-line view (issue 19).
The process that makes a change empties its own copies at once; the others keep theirs two
seconds at most, then ask the shared cache, which knows every change.
"""

import hashlib
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date

PAGE_TTL = 300
VERSION_TTL = 60 * 60 * 24 * 30  # longer than any page: a lost version only empties the cache
ALL = "public:v:all"
# A change for every place (a département-wide closure): every place page depends on it too.
EVERY_PLACE = "public:v:every-place"


def _place_key(slug: str) -> str:
    return f"public:v:place:{slug}"


def public_pages_changed(*places, old_slugs=()) -> None:
    """What a public page shows of ``places`` changed (``None``: a change for every place, a
    département-wide closure); ``old_slugs``: addresses a place had before this change.

    Bumped now (the pages cached so far) and again at commit: a visitor who read the old rows
    while this transaction was open may have cached them under the version drawn now.
    """
    keys = {ALL}
    for place in places:
        keys.add(EVERY_PLACE if place is None else _place_key(place.slug))
    keys.update(_place_key(slug) for slug in old_slugs if slug)

    def bump():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, VERSION_TTL)
        caches["public_pages"].clear()  # this process's copies (a few pages, rebuilt cheaply)

    bump()
    transaction.on_commit(bump)


def _versions(slug: str | None) -> list[str]:
    """A place's pages depend on that place (and changes for every place); the index and the
    catalogue on any change."""
    return [EVERY_PLACE, _place_key(slug)] if slug else [ALL]


def cached_public_page(view):
    """Serve ``view`` from the cache to visitors who are not signed in (staff see the menu and
    their own links), with ETag / Last-Modified; a ``slug`` argument scopes it to a place."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.COOKIES.get("messages"):  # a one-off message is shown once, not cached
            return view(request, *args, **kwargs)
        page_key = "public:page:" + _path_digest(request)
        entry = _shared_entry(
            page_key, _versions(kwargs.get("slug")), lambda: view(request, *args, **kwargs)
        )
        if isinstance(entry, HttpResponseBase):
            return entry  # not a page to keep (an error, a redirect, a stream)
        request.public_page = True  # PublicPageMiddleware may keep the finished response
        response = _conditional(request, entry)
        if "Cache-Control" not in response:
            # Shared caches may keep it, but ask us again each time: a 304 costs us little.
            response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _path_digest(request) -> str:
    """The day (the pages say « prochaines permanences ») and the address, query included."""
    return hashlib.sha256(f"{timezone.localdate()}|{request.get_full_path()}".encode()).hexdigest()


def _conditional(request, entry) -> HttpResponse:
    """The page, or a 304 with its validators when the visitor's copy is this entry."""
    response = HttpResponse(entry["content"])
    for header, value in entry["headers"].items():
        response[header] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=int(entry["modified"]), response=response
    )


class PublicPageMiddleware:
    """Sends again, for two seconds, the finished public pages this process sent to visitors.

    Only a plain GET without a session cookie, a one-off message or htmx, and only responses
    that ``cached_public_page`` marked, complete (200) and that set no cookie: what the other
    middlewares would do for such a request is already in the stored headers (security, CSP,
    frame options, Vary). Anything else goes through the whole stack as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in cookies
            or "messages" in cookies
            or "HX-Request" in request.headers
        ):
            return self.get_response(request)
        key = "public:final:" + _path_digest(request)
        local = caches["public_pages"]
        entry = local.get(key)
        if entry is not None:
            return _conditional(request, entry)
        response = self.get_response(request)
        if (
            getattr(request, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            local.set(
                key,
                {
                    "content": response.content,
                    "headers": dict(response.items()),
                    "etag": response["ETag"],
                    "modified": parse_http_date(response["Last-Modified"]),
                },
            )
        return response


def _shared_entry(page_key, version_keys, build):
    """The entry of the shared cache if no change came since it was built, else a new one from
    ``build()`` (kept there); the response itself when it is not a page to keep."""
    found = cache.get_many([page_key, *version_keys])
    versions = tuple(found.get(key, "") for key in version_keys)
    entry = found.get(page_key)
    if entry is None or entry["versions"] != versions:
        response = build()
        if response.status_code != 200 or response.streaming:
            return response
        entry = {
            "versions": versions,
            "content": response.content,
            "headers": dict(response.items()),
            "etag": '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"',
            "modified": timezone.now().timestamp(),
        }
        cache.set(page_key, entry, PAGE_TTL)
    return entry
