"""What the agreements' action pages share: the coordinator gate, a service call whose French
refusal lands on the form (nothing saved) or in a message, and the one-form page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from relais.core.perms import require
from relais.core.validators import error_text

from .. import perms
from ..models import Agreement


def manager_required(view):
    """Login, then coordinator or administrator; the agreement (if any) is loaded once."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, pk=None, **kwargs):
        require(perms.can_manage_agreement(request.user))
        if pk is not None:
            kwargs["agreement"] = get_object_or_404(Agreement, pk=pk)
        return view(request, *args, **kwargs)

    return wrapper


def attempt(request, form, action, success: str) -> bool:
    """Run a service; its French ValidationError goes on the form and nothing is saved."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    messages.success(request, success)
    return True


def submitted(request, form, action, success: str) -> bool:
    """A bound, valid form whose service ``action(cleaned_data)`` went through."""
    return (
        form.is_bound
        and form.is_valid()
        and attempt(request, form, lambda: action(form.cleaned_data), success)
    )


def post_action(request, action, success: str, *, then):
    """A button (POST only): the service runs, a French refusal becomes an error message."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)
    return redirect(then)


def action_page(request, agreement, form, title, submit, intro="", *, multipart=False):
    """The one-form page of an action; ``multipart`` when the form uploads a file."""
    context = {
        "agreement": agreement,
        "form": form,
        "page_title": title,
        "submit_label": submit,
        "intro": intro,
        "multipart": multipart,
    }
    return render(request, "agreements/action_form.html", context)
