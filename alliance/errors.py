"""The portal's own answer when something fails: never Django's page, never a bare crash.

When the Redis that holds sessions and the cache is down, a page that needs the session
(every get-help answer, "save to my list") cannot work. A frightened parent must not meet a
crash: they get a 503 with the exit control, 999 and the helplines, and "try again in a few
minutes"; the API gets JSON with CORS. Both recover by themselves when Redis returns. Django
calls `server_error` from inside its exception handler, so the failure is still in hand here.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from alliance.sessions import UNREACHABLE

# What a client is told to wait while Redis is away: a restart takes seconds.
RETRY_AFTER_SECONDS = 60
LINES = ("emergency", "domestic_abuse", "nspcc", "samaritans")
# The API's words for the two failures, here and in directory/api/errors.py alike.
UNAVAILABLE_DETAIL = "The service is briefly unavailable. Please try again in a minute."
SERVER_ERROR_DETAIL = "Something went wrong on our side. Please try again later."


def store_unavailable(exc: BaseException | None) -> bool:
    """True when the failure is the session or cache store being out of reach."""
    return isinstance(exc, UNREACHABLE)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503: the API's JSON (readable from any origin), or the page with 999 and helplines."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE_DETAIL}, status=503)
        response["Access-Control-Allow-Origin"] = "*"
    else:
        # Rendered without the request: context processors would reach for the session again.
        html = loader.get_template("503.html").render({"lines": LINES})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the store being down is a 503 with help, anything else our 500 page."""
    if store_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": SERVER_ERROR_DETAIL}, status=500)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
