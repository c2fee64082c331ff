"""``blaxel-constructs emulator``: serve the emulator in the foreground until SIGINT or SIGTERM.

Werkzeug's threaded server runs the app from ``create_app``. Once the socket listens, exactly one line
goes to stdout, the base URL ending in ``/v0`` (``--port 0`` picks a free port, so this line is how a
caller learns it); everything else is logged to stderr, and per-request logging is off unless the
environment sets ``BLAXEL_EMULATOR_LOG_REQUESTS=1``. With ``--db`` the state is in a SQLite file and a
restart loses nothing (issued OAuth tokens included); statuses derive from stored timestamps, so a
deployment that was in progress at the stop finishes on time after the restart.

It binds 127.0.0.1 unless told otherwise, and the ``/_emulator`` control endpoints answer only loopback
clients. A connection that an injected fault drops, or that a client abandons, ends quietly: no traceback.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from blaxel_constructs.emulator.app import create_app
from blaxel_constructs.emulator.settings import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_TOKEN_SECONDS,
    EmulatorConfig,
    LifecycleSettings,
    SettingsError,
    parse_client_pair,
)
from blaxel_constructs.emulator.storage import SqliteRecordStore

__all__ = ["base_url", "run_emulator"]

_log = logging.getLogger("blaxel_constructs.emulator")


def base_url(host: str, port: int) -> str:
    """The API base URL for a bound address, e.g. ``http://127.0.0.1:4010/v0``."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v0"


class _RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, except that a dropped connection (by the client, or by an injected fault
    through ``DropConnectionMiddleware``) also ends the keep-alive loop: nothing more is read from it."""

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        self.close_connection = True


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)
    _log.propagate = False
    verbose = os.environ.get("BLAXEL_EMULATOR_LOG_REQUESTS") == "1"
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.WARNING)


def _stop_on_signals(server: BaseWSGIServer) -> dict[int, object]:
    """Make SIGINT and SIGTERM stop ``server``; returns the previous handlers."""

    def stop(signum: int, frame: FrameType | None) -> None:
        _log.info("received %s, stopping", signal.Signals(signum).name)
        # shutdown() waits for serve_forever() to return, which runs on this very thread: call it elsewhere.
        threading.Thread(target=server.shutdown, name="emulator-shutdown", daemon=True).start()

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}


def run_emulator(
    *,
    host: str,
    port: int,
    db: Path | None,
    deploy_seconds: float,
    api_keys: tuple[str, ...],
    workspace: str,
    client_credentials: tuple[str, ...] = (f"{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}",),
    token_seconds: float = DEFAULT_TOKEN_SECONDS,
) -> int:
    """Serve the emulator until SIGINT or SIGTERM; returns the exit code (0 after a clean stop, 2 on bad settings).

    ``client_credentials`` are the accepted OAuth clients as ``ID:SECRET`` strings; ``token_seconds`` is
    the lifetime of the tokens they get.
    """
    started = time.monotonic()
    _configure_logging()
    try:
        config = EmulatorConfig(
            workspace=workspace,
            api_keys=api_keys,
            clients=tuple(parse_client_pair(pair) for pair in client_credentials),
            lifecycle=LifecycleSettings(deploy_seconds=deploy_seconds, token_seconds=token_seconds),
        )
    except SettingsError as error:
        _log.error("invalid emulator settings: %s", error)
        return 2
    store = SqliteRecordStore(db)
    try:
        server = make_server(
            host, port, create_app(config, store=store), threaded=True, request_handler=_RequestHandler
        )
        previous = _stop_on_signals(server)
        try:
            print(base_url(host, server.port), flush=True)
            _log.info(
                "serving workspace %r with %d API key(s) and %d OAuth client(s), state %s, ready in %.2fs",
                config.workspace,
                len(config.api_keys),
                len(config.clients),
                db if db is not None else "in memory",
                time.monotonic() - started,
            )
            server.serve_forever(poll_interval=0.1)
        finally:
            server.server_close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)  # type: ignore[arg-type]
    finally:
        store.close()
    _log.info("stopped")
    return 0
