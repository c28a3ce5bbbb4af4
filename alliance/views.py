import base64
import io
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from kombu import Connection

from alliance.access import staff_required
from alliance.forms import SignInForm, TokenForm
from alliance.models import Heartbeat
from alliance.services import audit_record

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/home.html")


@never_cache
def exit_page(request: HttpRequest) -> HttpResponse:
    """Quick exit: forget everything this browser told us, then go somewhere neutral."""
    request.session.flush()
    response = HttpResponseRedirect(settings.EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
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
            conn.ensure_connection(max_retries=1, timeout=2)
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
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


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


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Pass the second factor, setting up an authenticator app the first time."""
    if not request.user.is_authenticated:
        return redirect("alliance:login")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()  # type: ignore[attr-defined]
    setting_up = device is None
    if setting_up:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=request.user, action="staff.second_factor_passed")  # type: ignore[arg-type]
            return redirect(next_url or "alliance:staff-home")
        form.add_error("token", "The security code is wrong or has expired. Try the newest code")
    context: dict[str, object] = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        secret = base64.b32encode(device.bin_key).decode()
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["qr_data_uri"] = (
            "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        )
    return render(request, "registration/two_factor.html", context)


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/staff_home.html")
