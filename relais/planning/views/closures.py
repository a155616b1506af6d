"""The exceptional closures of places: list, create, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.forms import add_errors
from relais.core.perms import require
from relais.places.models import Place

from .. import perms, queries, services
from ..forms import ClosureForm
from ..models import Closure


def _manageable_places(user):
    places = Place.objects.active().select_related("commune").order_by("name")
    if perms.can_manage_planning(user):
        return places
    return places.filter(partner_id=user.organisation_id)


def _form_page(request, form, closure, save, success: str):
    """A valid POST runs ``save(cleaned_data)`` (a refusal goes on the form), then the list."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("planning:closure_list")
    return render(request, "planning/closure_form.html", {"form": form, "closure": closure})


@login_required
def closure_list(request):
    require(perms.can_view_closures(request.user))
    closures = queries.closures_visible_to(request.user, since=timezone.localdate())
    return render(request, "planning/closure_list.html", {"closures": closures})


@login_required
def closure_create(request):
    require(perms.can_view_closures(request.user))
    form = ClosureForm(request.POST or None, places=_manageable_places(request.user))

    def create(data):
        require(perms.can_manage_closure(request.user, data["place"]))
        services.closure_create(created_by=request.user, **data)

    return _form_page(request, form, None, create, "La fermeture est enregistrée.")


@login_required
def closure_edit(request, pk: int):
    closure = get_object_or_404(Closure.objects.select_related("place"), pk=pk)
    require(perms.can_manage_closure(request.user, closure.place))
    form = ClosureForm(
        request.POST or None,
        instance=Closure.objects.get(pk=pk),
        places=_manageable_places(request.user),
    )
    return _form_page(
        request,
        form,
        closure,
        lambda data: services.closure_update(closure=closure, **data),
        "La fermeture est modifiée.",
    )


@login_required
@require_POST
def closure_delete(request, pk: int):
    closure = get_object_or_404(Closure.objects.select_related("place"), pk=pk)
    require(perms.can_manage_closure(request.user, closure.place))
    services.closure_delete(closure=closure)
    messages.success(request, "La fermeture est supprimée.")
    return redirect("planning:closure_list")
