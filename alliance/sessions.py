"""Sessions in the cache (Redis, nothing on disk), and pages that say so when it is down.

Django's cache session store treats any error reading a session as "no session": with Redis
down, a parent halfway through the get-help check would silently lose every answer and be
sent back to the first question. Here the store remembers that the read failed; pages that
only read carry on as for a new visitor, and pages that need the session (`needs_session`)
raise, which `alliance.errors.server_error` turns into a 503 with 999 and the helplines.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class SessionStore(CacheSessionStore):
    _cache: BaseCache  # Django's store sets it in __init__; its stubs do not declare it
    unreachable: BaseException | None = None

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
            if data is not None:
                # The idle timeout slides: each request gives the session its whole time
                # again. The cookie itself ends with the browser session (a shared computer).
                self._cache.touch(self.cache_key, idle_seconds(data))
        except UNREACHABLE as exc:
            # The key is kept: forgetting it would make the response delete the cookie, and
            # the parent's answers, still in Redis, would be lost when it comes back.
            self.unreachable = exc
            return {}
        except Exception:  # an invalid key, as Django's own store allows for (#17810)
            data = None
        if data is not None:
            return data
        self._session_key = None
        return {}

    def get_session_cookie_age(self) -> int:
        # How long the store keeps the session from its last save (the cookie has no expiry).
        return idle_seconds(getattr(self, "_session_cache", {}))


def idle_seconds(data: dict[str, Any]) -> int:
    """A parent's session is forgotten after SESSION_IDLE_MINUTES idle, staff's after longer."""
    if data.get(auth.SESSION_KEY):
        return int(settings.STAFF_SESSION_IDLE_SECONDS)
    return int(settings.SESSION_COOKIE_AGE)


def needs_session(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views that read or write the session: a store out of reach is an error, not {}."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = request.session
        session.keys()  # loads it now
        failure = getattr(session, "unreachable", None)
        if failure is not None:
            raise failure
        return view(request, *args, **kwargs)

    return wrapped
