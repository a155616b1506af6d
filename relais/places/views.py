from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from . import perms
from .models import Place


@login_required
def place_list(request):
    places = (
        Place.objects.visible_to(request.user)
        .select_related("commune", "partner")
        .order_by("commune__name", "name")
    )
    return render(request, "places/place_list.html", {"places": places})


@login_required
def place_detail(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("commune", "partner"), slug=slug)
    if not perms.can_view_place(request.user, place):
        raise PermissionDenied
    return render(request, "places/place_detail.html", {"place": place})
