"""Who may open staff pages: a signed-in user with the right role who has passed two factors."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from alliance.models import Role

View = Callable[..., HttpResponse]


def staff_required(*roles: Role) -> Callable[[View], View]:
    """Require sign-in, a verified second factor, and (if given) one of `roles`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            query = urlencode({"next": request.get_full_path()})
            if not user.is_authenticated:
                return redirect(f"{reverse('alliance:login')}?{query}")
            if not user.is_verified():  # type: ignore[attr-defined]
                return redirect(f"{reverse('alliance:two-factor')}?{query}")
            if roles and user.role not in roles and not user.is_superuser:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
