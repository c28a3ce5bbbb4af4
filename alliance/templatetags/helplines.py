"""`{% helpline "domestic_abuse" as line %}`: a number from the one table, in any template."""

from django import template

from alliance.helplines import Helpline
from alliance.helplines import helpline as lookup

register = template.Library()


@register.simple_tag
def helpline(key: str) -> Helpline:
    return lookup(key)
