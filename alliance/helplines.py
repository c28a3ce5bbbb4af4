"""The one table of national helplines: read by the get-help rules, templates, emails and demo.

From domain.md 3.3, "verify numbers live before launch": every number, its hours and whether
it is free are checked against the line's own website before a deployment goes live, and
changed here only. Templates reach it through the `helpline` template tag or the `HELPLINES`
context variable; the rules name lines by key. No queries, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Helpline:
    key: str
    name: str | Promise
    number: str
    who_for: str | Promise
    hours: str | Promise
    free: bool
    # Digits only, for tel: links.
    tel: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tel", "".join(c for c in self.number if c.isdigit()))


DAY_AND_NIGHT = _("Day and night, every day")
WEEKDAYS = _("Weekdays: check their website for times")

HELPLINES: dict[str, Helpline] = {
    line.key: line
    for line in (
        Helpline(
            "emergency",
            _("Police, ambulance or fire"),
            "999",
            _("Anyone in danger now"),
            DAY_AND_NIGHT,
            free=True,
        ),
        Helpline(
            "police",
            _("Police non-emergency"),
            "101",
            _("Reporting a crime that is over"),
            DAY_AND_NIGHT,
            free=False,
        ),
        Helpline(
            "domestic_abuse",
            _("National Domestic Abuse Helpline (Refuge)"),
            "0808 2000 247",
            _("Anyone living with domestic abuse, or worried about someone who is"),
            DAY_AND_NIGHT,
            free=True,
        ),
        Helpline(
            "mens_advice",
            _("Men's Advice Line"),
            "0808 801 0327",
            _("Men living with domestic abuse"),
            WEEKDAYS,
            free=True,
        ),
        Helpline(
            "galop",
            _("Galop, the National LGBT+ Domestic Abuse Helpline"),
            "0800 999 5428",
            _("LGBT+ people living with abuse"),
            WEEKDAYS,
            free=True,
        ),
        Helpline(
            "karma_nirvana",
            _("Karma Nirvana"),
            "0800 5999 247",
            _("Honour-based abuse and forced marriage"),
            WEEKDAYS,
            free=True,
        ),
        Helpline(
            "forced_marriage",
            _("Forced Marriage Unit"),
            "020 7008 0151",
            _("Anyone at risk of forced marriage"),
            WEEKDAYS,
            free=False,
        ),
        Helpline(
            "respect",
            _("Respect Phoneline"),
            "0808 802 4040",
            _("People worried about their own behaviour towards a partner or family"),
            WEEKDAYS,
            free=True,
        ),
        Helpline(
            "nspcc",
            _("NSPCC Helpline"),
            "0808 800 5000",
            _("Adults worried about a child"),
            _("Every day: check their website for times"),
            free=True,
        ),
        Helpline(
            "childline",
            _("Childline"),
            "0800 1111",
            _("Children and young people under 19"),
            DAY_AND_NIGHT,
            free=True,
        ),
        Helpline(
            "samaritans",
            _("Samaritans"),
            "116 123",
            _("Anyone who needs to talk"),
            DAY_AND_NIGHT,
            free=True,
        ),
    )
}


def helpline(key: str) -> Helpline:
    """One line by key; a mistyped key fails loudly rather than showing an empty number."""
    return HELPLINES[key]
