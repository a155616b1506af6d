"""The real URLs, plus ``/bench/hello/``: a one-line view on the same stack (middleware,
session, authentication), the ceiling of ``make bench-load``."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("Bonjour")


urlpatterns = [path("bench/hello/", hello), path("", include("config.urls"))]
