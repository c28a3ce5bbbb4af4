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
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore
from django.http import HttpRequest, HttpResponse

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class SessionStore(CacheSessionStore):
    unreachable: BaseException | None = None

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
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
