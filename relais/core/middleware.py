"""Requests carrying a NUL character are refused before any view reads them.

PostgreSQL cannot store or compare a string containing NUL (psycopg raises as soon as one is
sent in a query), so a filter ``?q=%00``, a path ``/inscriptions/%00/x/`` or a POST value read
outside a form answered 500. Django's form fields already refuse NUL, but raw parameters, URL
converters and third-party code (django-axes logs the login typed) do not. No person types a
NUL: the request is answered 400 with the French error page (JSON for the API's clients).
"""

from django.core.exceptions import BadRequest
from django.http import JsonResponse

NUL = "\x00"
MESSAGE = "La requête contient un caractère nul (\\x00) : elle est refusée."


def _carries_nul(values) -> bool:
    return any(NUL in key or any(NUL in str(v) for v in items) for key, items in values.lists())


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or _carries_nul(request.GET)
            or (request.method == "POST" and _carries_nul(request.POST))
        ):
            # The API's clients authenticate with a bearer token and expect JSON errors.
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                return JsonResponse({"detail": MESSAGE}, status=400)
            raise BadRequest(MESSAGE)  # Django answers with handler400's French page
        return self.get_response(request)
