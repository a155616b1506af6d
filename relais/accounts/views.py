"""Login, second factor (enrolment, verification, recovery codes), account page."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from relais.core.perms import require
from relais.core.ratelimits import public_form_limit

from . import perms, services
from .forms import (
    EmailAuthenticationForm,
    OutboxPasswordResetForm,
    TitlePreferenceForm,
    TokenForm,
    TotpConfirmForm,
    TotpReplaceForm,
)
from .models import User

RECOVERY_CODES_SESSION_KEY = "relais_new_recovery_codes"


def _next_url(request, default="dashboards:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    # A path on this site only: redirect() reads a bare word ("abc") as a URL name to reverse,
    # and a relative URL has no meaning after a login anyway.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse(default)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def otp_verify(request):
    """Second step of login: a TOTP code or a single-use recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(request.user, form):
        device = services.second_factor_match(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                remaining = services.recovery_codes_remaining(user=request.user)
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours ; il vous en reste {remaining}. "
                    "Générez-en de nouveaux depuis « Mon compte » si besoin.",
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            "Code incorrect ou expiré. Vérifiez l'heure de votre téléphone et réessayez.",
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def _throttled(user, form) -> bool:
    wait = services.throttle_wait_seconds(user=user)
    if wait:
        form.add_error(
            "token",
            ngettext(
                "Trop de codes erronés : patientez %(count)s seconde avant de réessayer.",
                "Trop de codes erronés : patientez %(count)s secondes avant de réessayer.",
                wait,
            )
            % {"count": wait},
        )
    return bool(wait)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


@login_required
def otp_setup(request):
    """Enrolment: scan the QR code, type a code to prove it works, receive recovery codes.

    An account that already has an authenticator may replace it (new phone) only from a session
    that passed the second factor, and with its password; an unverified session is sent to the
    code prompt (the middleware does so too: this page must never be the way round it).
    """
    replacing = services.has_confirmed_device(request.user)
    if replacing and not request.user.is_verified():
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = services.totp_enrolment_start(user=request.user)
    form_class = TotpReplaceForm if replacing else TotpConfirmForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(request.user, form):
        result = services.totp_enrolment_confirm(
            user=request.user,
            token=form.cleaned_data["token"],
            password=form.cleaned_data.get("password"),
        )
        if result.confirmed:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = result.recovery_codes
            messages.success(
                request,
                "Nouvelle application d'authentification enregistrée ; l'ancienne ne fonctionne "
                "plus."
                if replacing
                else "Double authentification activée.",
            )
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('accounts:recovery_codes')}?{query}")
        if result.refusal == services.EnrolmentRefusal.REAUTHENTICATION_FAILED:
            form.add_error("password", "Mot de passe incorrect : rien n'a été changé.")
        else:
            form.add_error(
                "token", "Ce code ne correspond pas. Attendez le code suivant et réessayez."
            )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
        "replacing": replacing,
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def recovery_codes(request):
    """Shows freshly generated recovery codes once; they are never displayed again."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, "Ces codes ne s'affichent qu'une fois. Générez-en de nouveaux.")
        return redirect("accounts:account")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if not services.has_confirmed_device(request.user):
        messages.error(request, "Activez d'abord la double authentification.")
        return redirect("accounts:account")
    request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_regenerate(
        user=request.user
    )
    messages.success(
        request, "De nouveaux codes de secours ont été générés ; les anciens ne fonctionnent plus."
    )
    return redirect("accounts:recovery_codes")


@login_required
def account(request):
    """The person's account; its one form sets how their title is written."""
    title_form = TitlePreferenceForm(request.POST or None, instance=request.user)
    if request.method == "POST" and title_form.is_valid():
        title_form.save()
        messages.success(request, f"Votre fonction s'écrit désormais « {request.user.title} ».")
        return redirect("accounts:account")
    context = {
        "has_device": services.has_confirmed_device(request.user),
        "recovery_remaining": services.recovery_codes_remaining(user=request.user),
        "title_form": title_form,
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return super().form_valid(form)


# Each request e-mails the address typed: limited per client address and per address typed.
@method_decorator(public_form_limit("password-reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE), in French, with HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


@login_required
@require_POST
def two_factor_reset(request, pk: int):
    """A coordinator or administrator removes a colleague's second factor (lost phone)."""
    target = get_object_or_404(User, pk=pk)
    require(perms.can_reset_two_factor(request.user, target))
    services.two_factor_reset(user=target)
    messages.success(
        request,
        f"La double authentification de {target.get_full_name()} a été réinitialisée : "
        "cette personne l'activera de nouveau à sa prochaine connexion.",
    )
    return redirect(_next_url(request, default="team:list"))
