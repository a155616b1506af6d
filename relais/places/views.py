from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from relais.core.forms import add_errors
from relais.core.perms import require

from . import perms
from .forms import PlaceForm
from .models import Place
from .services import place_update

HISTORY_LENGTH = 20


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
    require(perms.can_view_place(request.user, place))
    history = place.changes.select_related("user")[:HISTORY_LENGTH]
    return render(
        request,
        "places/place_detail.html",
        {
            "place": place,
            "history": history,
            "can_change": perms.can_change_place(request.user, place),
        },
    )


@login_required
def place_edit(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("commune", "partner"), slug=slug)
    require(perms.can_change_place(request.user, place))
    form_kwargs = {
        # The form writes to its instance while validating: give it a copy, not ``place``.
        "instance": Place.objects.get(pk=place.pk),
        "can_edit_coordinates": perms.can_change_place_coordinates(request.user, place),
    }
    if request.method == "POST":
        form = PlaceForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                place_update(place=place, user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if form.has_changed():
                    messages.success(request, "Les modifications du lieu sont enregistrées.")
                else:
                    messages.info(request, "Aucune modification à enregistrer.")
                return redirect(place)
    else:
        form = PlaceForm(**form_kwargs)
    return render(request, "places/place_form.html", {"place": place, "form": form})
