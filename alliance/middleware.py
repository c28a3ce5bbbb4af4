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
