import base64
import io
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from kombu import Connection

from alliance import session_store
from alliance.access import staff_required
from alliance.forms import RecoveryCodeForm, SetupPasswordForm, SignInForm, TokenForm
from alliance.models import Heartbeat, User
from alliance.params import parse_next_path
from alliance.services import (
    SecondFactorError,
    SetupLinkInvalid,
    staff_is_set_up,
    staff_recovery_code_use,
    staff_recovery_codes_issue,
    staff_second_factor_verify,
    staff_setup_authenticator_begin,
    staff_setup_complete,
    staff_setup_link_find,
    staff_setup_password_set,
    staff_totp_pending,
)
from alliance.sessions import UNREACHABLE, SessionStore

logger = logging.getLogger(__name__)
RECOVERY_CODES_KEY = "new_recovery_codes"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/home.html")


@never_cache
def exit_page(request: HttpRequest) -> HttpResponse:
    """Quick exit: forget everything this browser told us, then go somewhere neutral."""
    try:
        request.session.flush()
    except UNREACHABLE:
        # Exit must always leave. With the store down nothing can be deleted now (a restarted
        # Redis keeps nothing, and idle sessions expire); an empty session drops the cookie.
        logger.warning("exit: the session store is out of reach")
        request.session = SessionStore()
    response = HttpResponseRedirect(settings.EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    # Some browsers ignore Clear-Site-Data: expire every cookie the portal sets as well.
    for name in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        response.delete_cookie(
            name,
            path=settings.SESSION_COOKIE_PATH,
            domain=settings.SESSION_COOKIE_DOMAIN,
            samesite="Lax",
        )
    response.delete_cookie(
        settings.CSRF_COOKIE_NAME,
        path=settings.CSRF_COOKIE_PATH,
        domain=settings.CSRF_COOKIE_DOMAIN,
        samesite="Lax",
    )
    return response


def page(template: str):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template)

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html").replace("-", "_")
    return view


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker heartbeat; 200 when all are well, 503 otherwise."""
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            # One quick retry, no back-off: a monitor's check must not wait on a dead broker.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        checks["broker"] = {"ok": True}
    except Exception as exc:
        checks["broker"] = {"ok": False, "error": type(exc).__name__}
    try:
        beat = Heartbeat.objects.filter(name="worker").first()
        age = (timezone.now() - beat.at).total_seconds() if beat else None
        fresh = age is not None and age <= settings.HEARTBEAT_MAX_AGE_SECONDS
        checks["worker"] = {"ok": fresh, "heartbeat_age_seconds": age and round(age, 1)}
    except Exception as exc:
        checks["worker"] = {"ok": False, "error": type(exc).__name__}
    checks["session_store"] = _session_store_check()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


def _session_store_check() -> dict[str, object]:
    """Up, and writing nothing to disk (DESIGN.md privacy rule 8): say which setting if not."""
    if not settings.SESSION_REDIS_CONFIG_CHECK:
        return {"ok": True, "persistence": "not checked"}
    try:
        reasons = session_store.persistence()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    if reasons:
        return {"ok": False, "error": "writes sessions to disk: " + "; ".join(reasons)}
    return {"ok": True}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may list the directory and guides, never personal or staff pages."""
    lines = [
        "User-agent: *",
        "Disallow: /get-help/",
        "Disallow: /services/my-list/",
        "Disallow: /parenting-plan/",
        "Disallow: /referrals/",
        "Disallow: /provider/",
        "Disallow: /accounts/",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /exit/",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def locked_out(request: HttpRequest, credentials: dict[str, object] | None = None) -> HttpResponse:
    """django-axes' answer once sign-in is locked: one plain page, whichever count was reached.

    It never says whether the account or the address was locked, nor names the account.
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _safe_next(request: HttpRequest) -> str:
    return parse_next_path(
        request.POST.get("next") or request.GET.get("next"), host=request.get_host()
    )


def _authenticator_context(device: TOTPDevice) -> dict[str, object]:
    """The QR code and the typed key for an authenticator app (read only: no writes)."""
    secret = base64.b32encode(device.bin_key).decode()
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode(),
    }


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Pass the second factor: an authenticator code or a recovery code.

    GET only shows; every write (a verified code, an audit event) is a POST. An account with no
    authenticator is told to use its set-up link: a password alone never reaches enrolment.
    """
    if not request.user.is_authenticated:
        return redirect("alliance:login")
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if not staff_is_set_up(user=user):
        return render(request, "registration/not_set_up.html", status=403)
    posted = request.method == "POST"
    form = TokenForm(request.POST if posted and "token" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if posted and "code" in request.POST else None)
    if form.is_bound and form.is_valid():
        device = staff_second_factor_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url or "alliance:staff-home")
        form.add_error("token", _("The security code is wrong or has expired. Try the newest code"))
    if recovery_form.is_bound and recovery_form.is_valid():
        codes = staff_recovery_code_use(user=user, code=recovery_form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, codes)
            left = codes.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code. You have %(left)d code left: "
                    "make new codes from your staff page.",
                    "You signed in with a recovery code. You have %(left)d codes left: "
                    "make new codes from your staff page.",
                    left,
                )
                % {"left": left},
            )
            return redirect(next_url or "alliance:staff-home")
        recovery_form.add_error("code", _("That recovery code is wrong or has been used"))
    context = {"form": form, "recovery_form": recovery_form, "next": next_url}
    return render(request, "registration/two_factor.html", context)


SETUP_LINK_SESSION_KEY = "staff_setup_link"


@require_GET
@never_cache
def setup_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open a set-up link: keep its token in this browser's session, then drop it from the URL.

    Reads only: mail scanners open links before people do, so opening must not spend it. The
    token leaves the address bar so later pages cannot leak it in a log or a Referer header.
    """
    if staff_setup_link_find(token=token) is None:
        return render(request, "registration/setup_invalid.html", status=404)
    request.session[SETUP_LINK_SESSION_KEY] = token
    return redirect("alliance:setup")


@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """A new staff member's set-up: choose a password, then scan a key and confirm a code."""
    token = request.session.get(SETUP_LINK_SESSION_KEY, "")
    link = staff_setup_link_find(token=token)
    if link is None:
        return render(request, "registration/setup_invalid.html", status=404)
    try:
        return _setup_step(request, token, link.user, password_set=link.password_set_at is not None)
    except (SetupLinkInvalid, SecondFactorError):
        # Spent, expired or finished in another tab between reading the link and this write.
        return render(request, "registration/setup_invalid.html", status=404)


def _setup_step(
    request: HttpRequest, token: str, user: User, *, password_set: bool
) -> HttpResponse:
    posted = request.method == "POST"
    if not password_set:
        password_form = SetupPasswordForm(user, request.POST if posted else None)
        if password_form.is_bound and password_form.is_valid():
            staff_setup_password_set(token=token, password=password_form.cleaned_data["password1"])
            return redirect("alliance:setup")
        return render(
            request,
            "registration/setup.html",
            {"form": password_form, "step": "password", "email": user.email},
        )
    if posted and "begin" in request.POST:
        staff_setup_authenticator_begin(token=token)
        return redirect("alliance:setup")
    device = staff_totp_pending(user=user)
    form = TokenForm(request.POST if posted and "token" in request.POST else None)
    if device is not None and form.is_bound and form.is_valid():
        enrolment = staff_setup_complete(token=token, code=form.cleaned_data["token"])
        if enrolment is not None:
            request.session.pop(SETUP_LINK_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, enrolment.device)
            request.session[RECOVERY_CODES_KEY] = enrolment.recovery_codes
            return redirect("alliance:recovery-codes")
        form.add_error("token", _("The security code is wrong or has expired. Try the newest code"))
    context: dict[str, object] = {"form": form, "step": "authenticator", "device": device}
    if device is not None:
        context.update(_authenticator_context(device))
    return render(request, "registration/setup.html", context)


@never_cache
@staff_required()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once: just after set-up, or when staff ask for new ones."""
    if request.method == "POST":
        codes = staff_recovery_codes_issue(user=request.user)  # type: ignore[arg-type]
    else:
        codes = request.session.pop(RECOVERY_CODES_KEY, None)
        if not codes:
            return redirect("alliance:staff-home")
    next_url = _safe_next(request)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url})


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/staff_home.html")
