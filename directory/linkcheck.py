"""The link checker's client: fetch many websites at once with httpx, bounded in number and
time. Imports no models: ids and addresses in, results out (house style for clients)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

MAX_REDIRECTS = 5
USER_AGENT = "alliance-portal-link-checker/1 (+directory freshness)"


class PrivateAddress(httpx.RequestError):
    """The address (or a redirect's) is on a private, loopback or link-local network."""


async def _refuse_private(request: httpx.Request) -> None:
    """Never let a listing's website (or where it redirects) reach the portal's own networks:
    the checker runs inside them. Checked before each request, redirects included."""
    host = request.url.host
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, request.url.port or 443)
    except OSError:
        return  # httpx reports the failed look-up itself
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise PrivateAddress(f"{host} is a private address", request=request)


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status_code: int | None = None
    error: str = ""


async def _check_one(
    client: httpx.AsyncClient, url: str, *, timeout: float, limit: asyncio.Semaphore
) -> LinkResult:
    async with limit:
        try:
            # httpx's timeout is per read; a server that drips bytes forever is cut off by
            # the whole-request bound here.
            async with asyncio.timeout(timeout * 2):
                async with client.stream("GET", url) as response:
                    code = response.status_code
        except TimeoutError:
            return LinkResult(ok=False, error="timed out")
        except httpx.TooManyRedirects:
            return LinkResult(ok=False, error="too many redirects")
        except httpx.TimeoutException:
            return LinkResult(ok=False, error="timed out")
        except httpx.InvalidURL:
            return LinkResult(ok=False, error="not a valid address")
        except PrivateAddress:
            return LinkResult(ok=False, error="a private network address")
        except httpx.HTTPError as exc:
            return LinkResult(ok=False, error=type(exc).__name__[:120])
    return LinkResult(ok=code < 400, status_code=code, error="" if code < 400 else f"HTTP {code}")


async def _check_all(
    targets: Mapping[int, str], *, timeout: float, concurrency: int, allow_private: bool
) -> dict[int, LinkResult]:
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        event_hooks={"request": [] if allow_private else [_refuse_private]},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
        limits=httpx.Limits(max_connections=concurrency),
    ) as client:
        keys = list(targets)
        results = await asyncio.gather(
            *(_check_one(client, targets[k], timeout=timeout, limit=limit) for k in keys)
        )
    return dict(zip(keys, results, strict=True))


def check_all(
    targets: Mapping[int, str], *, timeout: float, concurrency: int, allow_private: bool = False
) -> dict[int, LinkResult]:
    """Check each address (keyed by any id); at most `concurrency` at once, each bounded.
    Private, loopback and link-local addresses are refused unless `allow_private` (tests)."""
    if not targets:
        return {}
    run = functools.partial(
        asyncio.run,
        _check_all(targets, timeout=timeout, concurrency=concurrency, allow_private=allow_private),
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    # Called where an event loop already runs (an async caller): its own thread and loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
