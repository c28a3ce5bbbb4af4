"""Every API answer that is not a success: JSON `{"detail": "<reason>"}`, never HTML or a 500 page.

DRF calls `exception_handler` for whatever a view raises, the throttle included. A browser
client reads the reason because every API answer carries the CORS header (views.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from redis.exceptions import RedisError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from alliance.errors import RETRY_AFTER_SECONDS, SERVER_ERROR_DETAIL, UNAVAILABLE_DETAIL

logger = logging.getLogger(__name__)


class BadParameter(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A query parameter is not valid."
    default_code = "bad_parameter"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """The DRF exception handler for the API (settings.REST_FRAMEWORK)."""
    if isinstance(exc, RedisError):
        # The throttle counts requests in the Redis cache. When that Redis is down the data
        # (in PostgreSQL) is still there, but a client must be told to come back, not crash:
        # the next request after Redis returns is answered as usual (issue 8, item 8).
        logger.warning("API answered 503: the cache is unavailable (%s)", type(exc).__name__)
        unavailable = Response(
            {"detail": UNAVAILABLE_DETAIL},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
        # One line saying why is enough; Django would add "Service Unavailable" for each.
        unavailable._has_been_logged = True  # type: ignore[attr-defined]
        return unavailable
    if isinstance(exc, ValidationError):
        # A filter set's field errors arrive as {"name": ["message"]}; each message already
        # names its parameter (alliance/params.py), so a client gets one plain sentence.
        return Response(
            {"detail": " ".join(_messages(exc.detail))}, status=status.HTTP_400_BAD_REQUEST
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    request = context.get("request")
    # Logged as Django logs an uncaught exception, so it reaches the same handlers.
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=exc,
        extra={"status_code": 500, "request": getattr(request, "_request", None)},
    )
    response = Response(
        {"detail": SERVER_ERROR_DETAIL},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    # Django would log the 500 again, without the traceback (django.utils.log.log_response).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _messages(detail: Any) -> Iterator[str]:
    if isinstance(detail, dict):
        for value in detail.values():
            yield from _messages(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from _messages(value)
    else:
        yield str(detail)
