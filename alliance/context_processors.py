from django.conf import settings
from django.http import HttpRequest


def alliance(request: HttpRequest) -> dict[str, object]:
    return {
        "ALLIANCE_NAME": settings.ALLIANCE_NAME,
        "ALLIANCE_SHORT_NAME": settings.ALLIANCE_SHORT_NAME,
        "ALLIANCE_AREA": settings.ALLIANCE_AREA,
        "ALLIANCE_CONTACT_EMAIL": settings.ALLIANCE_CONTACT_EMAIL,
        "ALLIANCE_CONTACT_PHONE": settings.ALLIANCE_CONTACT_PHONE,
        "DEMO_MODE": settings.DEMO_MODE,
        # What the pages promise about forgetting a visit must match the setting.
        "SESSION_IDLE_MINUTES": settings.SESSION_COOKIE_AGE // 60,
        "RETENTION_MONTHS": settings.RETENTION_MONTHS,
        "PERSONAL_DATA_RETENTION_DAYS": settings.PERSONAL_DATA_RETENTION_DAYS,
    }
