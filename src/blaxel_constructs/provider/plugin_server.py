"""The provider's gRPC server, with Terraform's shutdown contract: ``serve``.

``tf.runner.run_provider`` breaks that contract in two ways, and each loses a model that a create had
already made (the call in flight dies, Terraform prints "Plugin did not respond", and the state never
records the model):

- it stops the server as soon as Terraform calls ``StopProvider``, which Terraform does on Ctrl-C or
  SIGTERM *before* waiting for the calls in flight to return;
- a Python process dies on the SIGINT that a terminal's Ctrl-C sends to the whole foreground process
  group, the provider included.

Terraform's contract, as go-plugin servers and HashiCorp's SDKs keep it: the plugin ignores SIGINT
(Terraform alone drives shutdown), ``StopProvider`` cancels the operations in flight so that they return
promptly with what exists, and the server keeps serving until Terraform calls
``GRPCController.Shutdown`` (or goes away). This module is that loop, built from ``tf``'s own servicer
(extended by ``servicer.BlaxelServicer``: ``StopProvider`` and write-only attributes) and generated stubs
(``tf`` is pinned, 1.2.0); nothing of ``tf`` is copied or patched. ``--dev`` (debugging with
``TF_REATTACH_PROVIDERS``) serves through the very same servicer, so write-only arguments stay null there too.

Terraform launches the provider three to five times per command and waits for each launch's handshake
and for each process to exit, so both ends are kept short: the TLS certificate comes from
``certificate.load_or_create`` (no ``cryptography`` import once cached, and no ``tf.runner``, which imports
``asyncio``), and once the server has stopped (every call answered) the process ends with ``os._exit``
instead of tearing the interpreter down, which took 40 to 60 ms per launch with gRPC's threads.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures
from pathlib import Path
from typing import Any, Final

__all__ = ["SERVER_THREADS", "serve"]

#: gRPC worker threads: Terraform's default parallelism is 10, plus room for Stop/Shutdown calls that must
#: be answered while ten operations are in flight.
SERVER_THREADS: Final = 16
#: How often the serving loop checks that Terraform is still there (seconds).
_WATCH_INTERVAL: Final = 0.2


def _log_launch_time() -> None:
    """At DEBUG (``TF_LOG_PROVIDER=DEBUG``): seconds from this process's start to its handshake.

    Terraform waits that long at every launch, three to five times per command; the benchmarks read
    this line to count launches and their cost without Terraform's own (much larger) debug log.
    Linux only: the start time comes from ``/proc/self/stat``.
    """
    log = logging.getLogger("blaxel_constructs.provider")
    if not log.isEnabledFor(logging.DEBUG):
        return
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # starttime: field 22, in ticks since boot
        seconds = time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return
    log.debug("timing action=launch name=- seconds=%.4f pid=%d", seconds, os.getpid())


def serve(provider: Any, argv: list[str]) -> None:
    """Serve ``provider`` (a ``BlaxelTerraformProvider``) to Terraform until it shuts the plugin down.

    Prints go-plugin's handshake line on stdout; everything else goes to stderr. With ``--dev`` (debugging
    with ``TF_REATTACH_PROVIDERS``) the same servicer serves on a plain socket and stdout gets the line to
    export instead; the server then runs until Ctrl-C. On every way out (Terraform's shutdown, Terraform gone,
    Ctrl-C in ``--dev``, a failed handshake write) the calls in flight are stopped and the server with them.
    """
    dev = "--dev" in argv
    if not dev:
        # Terraform alone decides when this process ends: Ctrl-C reaches it as StopProvider.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Recorded first: a Terraform that dies while this process starts is noticed by the serving loop.
    parent = os.getppid()
    shutdown = threading.Event()
    server = _server(provider, shutdown)
    with tempfile.TemporaryDirectory(prefix="terraform-provider-blaxel-") as tmp:
        socket_path = os.path.join(tmp, "plugin.sock")
        try:
            line = _listen(server, provider, socket_path, dev=dev)
            server.start()
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            _log_launch_time()
            # Imports for the calls to come, while Terraform reads the schema.
            threading.Thread(target=provider.warm_up, name="warm-up", daemon=True).start()
            # Serve until Terraform shuts the plugin down, or is gone (killed: this process was re-parented).
            while not shutdown.wait(_WATCH_INTERVAL) and os.getppid() == parent:
                pass
        except KeyboardInterrupt:  # only with --dev: Ctrl-C in the developer's terminal
            pass
        finally:
            provider.stop()  # the waits in flight return what exists, now
            server.stop(grace=1.0).wait()
    # Every call has been answered and the socket directory is gone: nothing is left to clean up that is
    # worth gRPC's thread teardown, which Terraform would wait for.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _server(provider: Any, shutdown: threading.Event) -> Any:
    """The gRPC server of ``provider``: ``BlaxelServicer``, go-plugin's controller (``Shutdown`` sets
    ``shutdown``) and its stdio service, not started yet."""
    import grpc
    from tf.gen import grpc_controller_pb2 as controller_pb
    from tf.gen import grpc_controller_pb2_grpc as controller_rpc
    from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
    from tf.gen import tfplugin_pb2_grpc as rpc

    from blaxel_constructs.provider.servicer import BlaxelServicer

    class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
        def Shutdown(self, request: Any, context: Any) -> Any:
            provider.stop()
            shutdown.set()
            return controller_pb.Empty()

    class Stdio(stdio_rpc.GRPCStdioServicer):  # type: ignore[misc]
        def StreamStdio(self, request: Any, context: Any) -> Any:
            return iter([])  # go-plugin asks for it; logs go to stderr instead

    server = grpc.server(thread_pool=futures.ThreadPoolExecutor(max_workers=SERVER_THREADS))
    rpc.add_ProviderServicer_to_server(BlaxelServicer(provider), server)
    controller_rpc.add_GRPCControllerServicer_to_server(Controller(), server)
    stdio_rpc.add_GRPCStdioServicer_to_server(Stdio(), server)
    return server


def _listen(server: Any, provider: Any, socket_path: str, *, dev: bool) -> str:
    """Bind ``server`` to the socket; the line to print: go-plugin's handshake, or with ``dev`` the
    ``TF_REATTACH_PROVIDERS`` to export (a plain socket: Terraform reattaches without TLS)."""
    address = f"unix://{socket_path}"
    if dev:
        server.add_insecure_port(address)
        reattach = {
            provider.full_name(): {
                "Protocol": "grpc",
                "ProtocolVersion": 6,
                "Pid": os.getpid(),
                "Test": True,
                "Addr": {"Network": "unix", "String": socket_path},
            }
        }
        return f"export TF_REATTACH_PROVIDERS='{json.dumps(reattach)}'"
    import grpc

    from blaxel_constructs.provider.certificate import load_or_create

    certificate = load_or_create()
    server.add_secure_port(address, grpc.ssl_server_credentials([(certificate.key_pem, certificate.cert_pem)]))
    handshake = ["1", "6", "unix", socket_path, "grpc", base64.b64encode(certificate.der).decode().rstrip("=")]
    return "|".join(handshake)
