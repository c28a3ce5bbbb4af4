from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from directory.masking import PublicLocation, public_location
from directory.models import Location
from directory.services import my_list_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def in_my_list(context: template.Context, service_id: int) -> bool:
    """Whether this browser's session list holds the service (session only, no database)."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return False
    return service_id in my_list_ids(request.session)


@register.filter
def public(location: Location) -> PublicLocation:
    """A location as the public may see it (confidential ones masked)."""
    return public_location(location)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
