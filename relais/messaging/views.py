"""The coordinators' view of the outbox: messages that failed or wait for a retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.perms import require

from .models import OutboxMessage, OutboxStatus
from .outbox import outbox_retry
from .perms import can_view_outbox

SHOWN = 200


@login_required
def outbox_list(request):
    require(can_view_outbox(request.user))
    attention = OutboxMessage.objects.needing_attention()
    return render(
        request,
        "messaging/outbox.html",
        {
            "attention": attention[:SHOWN],
            "failed_count": attention.filter(status=OutboxStatus.FAILED).count(),
            "recent": OutboxMessage.objects.filter(status=OutboxStatus.SENT)[:20],
        },
    )


@login_required
@require_POST
def outbox_resend(request, pk: int):
    require(can_view_outbox(request.user))
    message = outbox_retry(message=get_object_or_404(OutboxMessage, pk=pk))
    if message.status == OutboxStatus.PENDING:
        messages.success(request, "Le message est remis en file d'envoi.")
    else:
        messages.info(request, "Ce message n'est pas en échec : rien à renvoyer.")
    return redirect("messaging:outbox")
