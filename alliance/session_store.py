"""The Redis that holds sessions and the cache must never write them to disk.

DESIGN.md privacy rule 8 and docs/decisions/0005: a parent's get-help answers, postcode and
saved list live only in the session. A Redis with an append-only file or snapshots would
copy every one of them into appendonly.aof or dump.rdb, where /exit/ cannot reach them.
The deploy check refuses such a store; /healthz says why.
"""

from typing import Any

import redis
from django.conf import settings
from django.core.checks import CheckMessage, Error, register


def session_store_url() -> str:
    """The Redis the sessions live in (the cache's; its first server when it lists several)."""
    location = settings.CACHES[settings.SESSION_CACHE_ALIAS]["LOCATION"]
    return location if isinstance(location, str) else str(location[0])  # type: ignore[index]


def persistence(url: str | None = None) -> list[str]:
    """Why the session store would write to disk; an empty list when nothing would.

    Raises redis.RedisError when the store cannot be reached or refuses CONFIG GET.
    """
    client = redis.Redis.from_url(
        url or session_store_url(),
        socket_connect_timeout=2,
        socket_timeout=2,
        decode_responses=True,
    )
    try:
        config: dict[str, Any] = {
            **client.config_get("appendonly"),  # type: ignore[dict-item]
            **client.config_get("save"),  # type: ignore[dict-item]
        }
    finally:
        client.close()
    reasons = []
    if config.get("appendonly", "no") != "no":
        reasons.append("appendonly is yes: every session write is appended to appendonly.aof")
    if str(config.get("save", "")).strip():
        reasons.append(f"save is '{config['save']}': sessions are snapshotted to dump.rdb")
    return reasons


HINT = (
    "Run the Redis that holds sessions and the cache with --save '' --appendonly no, or point "
    "SESSION_REDIS_URL at one that does (docs/deployment.md)."
)


@register("privacy", deploy=True)
def check_session_store_keeps_nothing_on_disk(
    app_configs: object = None, **kwargs: object
) -> list[CheckMessage]:
    """alliance.E010 / E011: refuse to start when the session store persists to disk."""
    if not settings.SESSION_REDIS_CONFIG_CHECK:
        return []
    try:
        reasons = persistence()
    except redis.RedisError as exc:
        return [
            Error(
                f"Could not ask the session store whether it writes to disk: {exc}",
                hint="Start it before the portal. A managed Redis that refuses CONFIG GET: "
                "confirm persistence is off in its settings, then set "
                "SESSION_REDIS_CONFIG_CHECK=false.",
                id="alliance.E010",
            )
        ]
    if reasons:
        return [
            Error(
                "The Redis that holds sessions writes them to disk: " + "; ".join(reasons),
                hint=HINT,
                id="alliance.E011",
            )
        ]
    return []


@register("security", deploy=True)
def check_demo_mode_is_off(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """alliance.E012: DEMO_MODE relaxes TLS and lets demo_code print two-factor codes."""
    if settings.DEMO_MODE:
        return [
            Error(
                "DEMO_MODE is on: it is for the embedded demo on 127.0.0.1 only.",
                hint="Unset DEMO_MODE in a deployment.",
                id="alliance.E012",
            )
        ]
    return []
