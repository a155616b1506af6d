"""The home dashboard of the signed-in user's role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import queries


@login_required
def home(request):
    template, context = queries.dashboard_for(request.user)
    return render(request, template, context)
