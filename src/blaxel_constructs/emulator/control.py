"""Control endpoints under ``/_emulator`` for tests and demos: health, run-time settings, stats, faults.

| route | answer |
|---|---|
| ``GET /_emulator/health`` | ``{"status": "ok"}`` |
| ``GET``, ``PUT /_emulator/config`` | the run-time settings (``config.LifecycleSettings``); PUT changes some |
| ``GET``, ``DELETE /_emulator/stats`` | the counters (``stats``); DELETE resets them |
| ``GET``, ``PUT``, ``DELETE /_emulator/faults`` | the fault rules (``faults``); PUT replaces, DELETE clears them |
| ``GET /_emulator/secrets/{connectionName}`` | ``{"<secret key>": "<sha256 hex of its value>"}``, or 404 |

The secrets digest lets a test prove which secret the API holds without the secret appearing anywhere: the
emulator stores only these digests. It reads the emulator's own workspace, or ``?workspace=``.

No authentication, so they answer only to loopback clients (403 otherwise). They are neither versioned
nor counted in the stats, so polling them does not disturb what a test measures.
"""

from __future__ import annotations

import ipaddress

from flask import Blueprint, Response, request

from blaxel_constructs.emulator.context import current_emulator
from blaxel_constructs.emulator.faults import parse_faults
from blaxel_constructs.emulator.payloads import ApiError, json_response, read_json_body

__all__ = ["control_api", "is_loopback"]

control_api = Blueprint("control", __name__, url_prefix="/_emulator")


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` (the peer's IP) is a loopback address, IPv4, IPv6 or IPv4-mapped."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


@control_api.before_request
def _loopback_only() -> None:
    if not is_loopback(request.remote_addr):
        raise ApiError(403, "Forbidden", "the emulator's control endpoints answer only to loopback clients")


@control_api.get("/health")
def health() -> Response:
    """200 as soon as the emulator serves requests."""
    return json_response({"status": "ok"})


@control_api.get("/config")
def get_config() -> Response:
    """The current lifecycle settings."""
    return json_response(current_emulator().machine.settings.to_json())


@control_api.put("/config")
def put_config() -> Response:
    """Change some lifecycle settings (for writes made from now on) and return them all."""
    body = read_json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "Bad Request", "the body must be a JSON object of settings")
    settings = current_emulator().machine.configure(body)
    return json_response(settings.to_json())


@control_api.get("/stats")
def get_stats() -> Response:
    """Request counts by method and route template, and by status code."""
    return json_response(current_emulator().stats.snapshot())


@control_api.delete("/stats")
def reset_stats() -> Response:
    """Reset the counts; the answer is the (empty) stats."""
    stats = current_emulator().stats
    stats.reset()
    return json_response(stats.snapshot())


@control_api.get("/secrets/<connectionName>")
def get_secret_digests(connectionName: str) -> Response:
    """The SHA-256 hex digest of each secret value of a connection, by key."""
    emulator = current_emulator()
    workspace = request.args.get("workspace") or emulator.config.workspace
    return json_response(emulator.connections.digests(workspace, connectionName))


@control_api.get("/faults")
def get_faults() -> Response:
    """The active fault rules, each with ``remaining`` (null: unlimited) and ``fired`` counts, and the seed."""
    return json_response(current_emulator().faults.snapshot())


@control_api.put("/faults")
def put_faults() -> Response:
    """Replace every fault rule (a list, or ``{"rules": [...], "seed": n}``); the answer is as for GET."""
    faults = parse_faults(read_json_body())
    injector = current_emulator().faults
    injector.set(faults)
    return json_response(injector.snapshot())


@control_api.delete("/faults")
def clear_faults() -> Response:
    """Remove every fault rule; the answer is the (empty) rules."""
    injector = current_emulator().faults
    injector.clear()
    return json_response(injector.snapshot())
