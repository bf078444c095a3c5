"""Logging in (with the authenticator code when a person has set one up), the account
page, password change and reset by e-mail, and setting up an authenticator app.

Wrong passwords are counted by django-axes, which locks the account after
AXES_FAILURE_LIMIT of them in a row; a wrong authenticator code counts as a wrong
password. Every login, failure, lockout and change is in the audit log."""

import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from workbench import audit
from workbench.audit.models import AuditEvent

from .forms import CodeForm

PENDING = "workbench_pending_login"
# The code must follow the password within this many seconds.
PENDING_SECONDS = 300
DEVICE_NAME = "Authenticator app"


class LoginView(auth_views.LoginView):
    """The password first; a person with an authenticator app is then asked for its
    code before the session is theirs."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT}

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("login_code")


def login_code(request):
    """The second step: the code of the person whose password was right."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, "Log in again: the code must follow the password within 5 minutes.")
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            user.backend = pending["backend"]
            auth_login(request, user)
            otp_login(request, device)
            return redirect(pending["next"])
        request.login_failure_reason = "wrong authenticator code"
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, None, credentials)
        form.add_error(
            "code",
            "That code is not right, or it has expired. Type the 6 digits your app shows now.",
        )
    return render(request, "registration/login_code.html", {"form": form}, status=200)


@login_required
def account(request):
    context = {"device": _confirmed_device(request.user)}
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditEvent.Kind.PASSWORD_CHANGED)
        messages.success(self.request, "Your password was changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        audit.record(
            AuditEvent.Kind.PASSWORD_RESET_REQUESTED,
            details={"email": form.cleaned_data["email"]},
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's e-mail may use it again at once.
        reset_lockout(username=self.user.get_username())
        audit.record(AuditEvent.Kind.PASSWORD_RESET, user=self.user)
        return response


@login_required
def two_factor(request):
    """Set up an authenticator app: scan the code, type the six digits it shows."""
    if _confirmed_device(request.user):
        return redirect("account")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(AuditEvent.Kind.TWO_FACTOR_ENROLLED)
            messages.success(
                request, "Your authenticator app is set up: logging in now asks for its code."
            )
            return redirect("account")
        form.add_error("code", "That is not the code the app shows; type the current 6 digits.")
    context = {
        "form": form,
        # segno writes plain SVG elements, no script and no style attribute.
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),  # noqa: S308
        "key": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_remove(request):
    """Remove the authenticator app, proving it is at hand with a current code."""
    device = _confirmed_device(request.user)
    form = CodeForm(request.POST)
    if device is None:
        return redirect("account")
    if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
        with transaction.atomic():
            TOTPDevice.objects.filter(user=request.user).delete()
            audit.record(AuditEvent.Kind.TWO_FACTOR_REMOVED)
        messages.success(
            request, "The authenticator app was removed; logging in asks for the password only."
        )
    else:
        messages.error(request, "Nothing was removed: type the current code from your app.")
    return redirect("account")


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _grouped(key):
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
