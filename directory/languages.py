"""Languages a service can be offered in: the ones most asked for across the alliance area."""

from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("bsl", _("British Sign Language")),
    ("fa", _("Farsi")),
    ("gu", _("Gujarati")),
    ("hi", _("Hindi")),
    ("ku", _("Kurdish")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("pa", _("Punjabi")),
    ("ro", _("Romanian")),
    ("so", _("Somali")),
    ("ta", _("Tamil")),
    ("ti", _("Tigrinya")),
    ("ur", _("Urdu")),
]
