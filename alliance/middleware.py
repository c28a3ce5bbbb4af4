import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and no caching of personal pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        holds_personal_data = (user is not None and user.is_authenticated) or (
            session is not None and session.accessed and not session.is_empty()
        )
        # A shared or seized phone must not keep a copy of staff pages or a parent's answers.
        if holds_personal_data and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response


access_log = logging.getLogger("alliance.access")
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_name(request: HttpRequest) -> str:
    """The route a request reached ("referrals:get-help-emergency"), never its path.

    A path can reveal an answer (/get-help/emergency/ says someone is in danger) or which
    service a parent looked at (a refuge's page), and a query string holds their postcode.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    if request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "-"  # not routed: a 404, or answered before routing (an HTTPS redirect)


class AccessLogMiddleware:
    """The access log, in place of gunicorn's: method, route name, status and milliseconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "OTHER"
        elapsed = round((time.monotonic() - started) * 1000)
        access_log.info("%s %s %s %dms", method, route_name(request), response.status_code, elapsed)
        return response


class RouteNotPathFilter(logging.Filter):
    """Django's request warnings ("Not Found: /get-help/emergency/") name the route instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            paths = {request.path, request.path_info, request.get_full_path()}
            route = route_name(request)
            record.args = tuple(route if arg in paths else arg for arg in record.args)
        return True
