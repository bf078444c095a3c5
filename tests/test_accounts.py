"""Logging in: wrong passwords lock the account (django-axes), passwords change and reset
by e-mail under Django's validators, an authenticator app adds a second step, idle
sessions end, and the demo logins exist only in demo mode."""

import re
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from workbench import settings as workbench_settings
from workbench.audit.models import AuditEvent
from workbench.middleware import LAST_SEEN

ROOT = Path(django_settings.BASE_DIR)
NEW_PASSWORD = "a long passphrase of nine words"


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


def ready_for_a_code(device):
    """django-otp slows down guesses after a wrong code and refuses a code used before;
    the tests do not wait for the next 30-second step."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()


def code_of(device):
    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ).zfill(6)


# Lockout ----------------------------------------------------------------------------------------


def test_twenty_wrong_passwords_lock_the_account(client, manager):
    for _ in range(19):
        assert log_in(client, manager.username, "guess").status_code == 200
    locked = log_in(client, manager.username, "guess")
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    # Even the right password is refused now, with the same clear message.
    response = log_in(client, manager.username)
    assert response.status_code == 429
    html = response.content.decode()
    assert "is locked after 20 wrong passwords" in html
    assert "Reset the password by e-mail" in html
    assert not logged_in(client)
    assert AuditEvent.objects.filter(kind="login.locked", username="mandy").exists()


def test_a_right_password_before_the_limit_starts_the_count_again(client, manager):
    for _ in range(15):
        log_in(client, manager.username, "guess")
    assert log_in(client, manager.username).status_code == 302
    client.post(reverse("logout"))
    for _ in range(15):
        log_in(client, manager.username, "guess")
    assert log_in(client, manager.username).status_code == 302
    assert logged_in(client)


def test_the_login_page_warns_of_the_limit(client, manager):
    html = log_in(client, manager.username, "guess").content.decode()
    assert "after 20 wrong passwords in a row the account is locked" in html


# Passwords --------------------------------------------------------------------------------------


def test_a_person_changes_their_password(client, manager):
    log_in(client, manager.username)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert logged_in(client)  # the session survives its own password change
    assert AuditEvent.objects.filter(kind="password.changed", username="mandy").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("83749201948372", "entirely numeric"),
        ("mandy@example.com", "too similar"),
    ],
)
def test_it_refuses_a_weak_password_and_changes_nothing(client, manager, password, message):
    log_in(client, manager.username)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_mail_goes_to_the_console_unless_a_server_is_configured():
    assert workbench_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_password_reset_by_e_mail_sets_a_new_password_and_unlocks(client, manager):
    for _ in range(20):
        log_in(client, manager.username, "guess")
    assert log_in(client, manager.username).status_code == 429

    client.post(reverse("password_reset"), {"email": manager.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert log_in(client, manager.username, NEW_PASSWORD).status_code == 302
    assert logged_in(client)
    assert {"password.reset_requested", "password.reset"} <= set(
        AuditEvent.objects.values_list("kind", flat=True)
    )


def test_a_reset_link_used_twice_is_refused(client, manager):
    client.post(reverse("password_reset"), {"email": manager.email})
    link = re.search(r"(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert "This link has expired or was used already" in again.content.decode()


def test_a_reset_for_an_unknown_address_says_nothing_of_who_has_an_account(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


# The authenticator app --------------------------------------------------------------------------


def test_a_manager_sets_up_an_authenticator_and_login_then_asks_for_its_code(client, manager):
    log_in(client, manager.username)
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page and "Type the 6 digits" in page
    device = TOTPDevice.objects.get(user=manager)
    assert client.post(reverse("two_factor"), {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    ready_for_a_code(device)
    client.post(reverse("two_factor"), {"code": code_of(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("logout"))

    response = log_in(client, manager.username)
    assert response["Location"] == reverse("login_code")
    assert not logged_in(client)
    wrong = client.post(reverse("login_code"), {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    assert not logged_in(client)
    ready_for_a_code(device)
    response = client.post(reverse("login_code"), {"code": code_of(device)})
    assert response.status_code == 302
    assert logged_in(client)
    kinds = list(AuditEvent.objects.values_list("kind", flat=True))
    assert "two_factor.enrolled" in kinds
    assert AuditEvent.objects.filter(
        kind="login.failed", details__reason="wrong authenticator code"
    ).exists()


def test_without_an_authenticator_the_password_is_enough(client, translator):
    assert log_in(client, translator.username)["Location"] == reverse("home")
    assert logged_in(client)


def test_the_code_step_cannot_be_reached_without_the_password(client, db):
    response = client.get(reverse("login_code"))
    assert response["Location"] == reverse("login")


def test_removing_the_authenticator_needs_a_current_code(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    client.force_login(manager)
    client.post(reverse("two_factor_remove"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=manager).exists()
    ready_for_a_code(device)
    client.post(reverse("two_factor_remove"), {"code": code_of(device)})
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert AuditEvent.objects.filter(kind="two_factor.removed").exists()


# Sessions ---------------------------------------------------------------------------------------


def test_an_idle_session_ends(client, translator, settings, project):
    settings.WORKBENCH_SESSION_IDLE_MINUTES = 30
    log_in(client, translator.username)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not logged_in(client)
    assert AuditEvent.objects.filter(kind="logout", details__why="idle for too long").exists()


def test_polling_for_a_job_does_not_keep_a_session_alive(client, translator, settings, project):
    log_in(client, translator.username)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 10 * 60
    session.save()
    client.get(reverse("job_list", args=[project.slug]), HTTP_X_WORKBENCH_POLL="true")
    assert client.session[LAST_SEEN] < time.time() - 9 * 60
    client.get(reverse("job_list", args=[project.slug]))
    assert client.session[LAST_SEEN] >= time.time() - 5


def test_an_idle_htmx_request_reloads_into_the_login_page(client, translator, project):
    log_in(client, translator.username)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 24 * 3600
    session.save()
    response = client.get(reverse("job_list", args=[project.slug]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


# Demo logins ------------------------------------------------------------------------------------


def test_the_production_compose_profile_creates_no_demo_logins():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        command = str(service.get("command", ""))
        if "seed_demo" in command:
            assert service.get("profiles") == ["demo"], name
            assert service["environment"]["WORKBENCH_DEMO"] == "1"
        else:
            assert "WORKBENCH_DEMO" not in (service.get("environment") or {}), name
    assert compose["services"]["web"].get("profiles") is None
    assert compose["x-workbench"]["environment"]["SECRET_KEY"] == "${SECRET_KEY:-}"


def test_make_run_is_the_demo():
    makefile = (ROOT / "Makefile").read_text()
    assert "WORKBENCH_DEMO=1" in makefile.split("seed_demo")[0].splitlines()[-1]
