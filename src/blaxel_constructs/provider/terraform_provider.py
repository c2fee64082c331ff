"""The ``blaxel`` Terraform provider: its configuration and the resources it serves.

Terraform configures the provider once per process (``configure_provider``); arguments left out of the
configuration fall back to ``BL_*`` environment variables, exactly as Blaxel's own tools read them. The
API client and the handler are built lazily, on the first call that needs them, so that ``terraform
validate`` and plans with nothing to refresh make no network connection.

The client and the handler are also *imported* lazily: Terraform launches the provider several times per
command (once just for the schema) and waits for its handshake each time, and the client (``requests``)
costs 0.1 to 0.2 s to import. Importing this module loads ``tf``, the schema and the resources, nothing
more. Once the handshake is out, ``warm_up`` imports the client in the background (``plugin_server`` runs
it on a thread), while Terraform reads the schema and walks its graph: measured at 1,000 endpoints, that
import was otherwise the whole 0.2 s of ``ConfigureProvider``, on the critical path of every plan and apply.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tf.iface import DataSource, Provider, Resource
from tf.schema import Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs import errors, identity
from blaxel_constructs.cancellation import Cancellation
from blaxel_constructs.kinds import INTEGRATION_CONNECTION, KINDS, MODEL, POLICY
from blaxel_constructs.kinds.description import Kind
from blaxel_constructs.provider.kind_data_source import data_source_class
from blaxel_constructs.provider.kind_resource import resource_class
from blaxel_constructs.provider.refresh_snapshot import RefreshSnapshot
from blaxel_constructs.provider.schema import provider_schema

if TYPE_CHECKING:
    from blaxel_constructs.client import ClientConfig
    from blaxel_constructs.handler import KindHandler, Waiter
    from blaxel_constructs.timing import Clock

__all__ = ["PROVIDER_ADDRESS", "BlaxelTerraformProvider"]

PROVIDER_ADDRESS = identity.ADDRESS
_ARGUMENTS = ("api_url", "workspace", "api_key", "client_credentials", "api_version")
#: Seconds the list serving a plan's refreshes may take, retries included (then: a GET per read).
_LIST_TIMEOUT = 60.0


class BlaxelTerraformProvider(Provider):  # type: ignore[misc]
    """Serves a resource and a data source of each kind (``blaxel_model``, ``blaxel_integration_connection``,
    ``blaxel_policy``); one API client per Terraform process, shared by the handlers of every kind.

    ``kinds`` defaults to every kind (``blaxel_constructs.kinds.KINDS``); ``client``, an API client to use
    instead of one built from the configuration (anything with ``objects(kind)`` and ``list_objects(kind)``,
    as ``BlaxelClient``), is for tests.
    """

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        kinds: tuple[Kind, ...] = KINDS,
        client: Any = None,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self._kinds = kinds
        self._config: ClientConfig | None = None
        self._client: Any = client
        self._waiter: Waiter | None = None
        self._handlers: dict[Kind, KindHandler] = {}
        self._snapshots: dict[Kind, RefreshSnapshot] = {}
        #: API requests sent by this process and their total time to an answer (see ``timings``).
        self.http_requests = 0
        self.http_seconds = 0.0
        self._lock = threading.Lock()
        #: Cancelled by ``stop()``; every sleep of the client and the handlers of this process observes it.
        self.cancellation = Cancellation()

    def get_model_prefix(self) -> str:
        return identity.RESOURCE_PREFIX

    def full_name(self) -> str:
        return PROVIDER_ADDRESS

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return provider_schema()

    def validate_config(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        """Nothing to check before configure: every argument is optional and may be unknown here."""

    def configure_provider(self, diags: Diagnostics, config: dict[str, Any]) -> None:
        from blaxel_constructs.client.client_config import ClientConfig  # imports requests: see the module docstring

        given = {k: v for k in _ARGUMENTS if (v := (config or {}).get(k)) is not None and v is not Unknown}
        try:
            client_config = ClientConfig.from_env(self._environ, **given)
            client_config.validate()
        except errors.ConfigurationError as exc:
            diags.add_error("Invalid blaxel provider configuration", str(exc))
            return
        self._config = client_config

    def get_data_sources(self) -> list[type[DataSource]]:
        return [data_source_class(kind) for kind in self._kinds]

    def get_resources(self) -> list[type[Resource]]:
        return [resource_class(kind) for kind in self._kinds]

    def warm_up(self) -> None:
        """Import what configuring and the first API call need, so that they do not wait for it.

        Called once per process, on a background thread, after the handshake. Importing has no effect
        but loading modules, so a process that is never configured (the schema or validate launches)
        loses nothing but the CPU time, and one that is configured finds the modules loaded (or waits
        on Python's import lock for the rest of the same import).
        """
        import importlib

        for module in ("blaxel_constructs.client.blaxel_client", "blaxel_constructs.handler"):  # requests, urllib3
            importlib.import_module(module)

    def stop(self) -> None:
        """Terraform's ``StopProvider`` (Ctrl-C or SIGTERM to terraform): end every wait in flight now.

        The calls in flight then return what exists remotely, with an error, and Terraform saves it; the
        server keeps serving until Terraform shuts it down (``plugin_server``).
        """
        self.cancellation.cancel()

    def workspace(self) -> str | None:
        """The configured workspace, for messages (None before configuration)."""
        return self._config.workspace if self._config else None

    def handler_for(self, kind: Kind) -> KindHandler:
        """The handler of ``kind`` for this process, created on first use. Its writes invalidate the kind's
        refresh snapshot, before and after each one (``refresh_snapshot``)."""
        from blaxel_constructs.handler import KindHandler, Waiter

        with self._lock:
            handler = self._handlers.get(kind)
            if handler is None:
                client, clock = self._shared_client()
                if self._waiter is None:
                    self._waiter = Waiter(clock=clock)
                snapshot = self._snapshot_of(kind, client, clock)
                handler = KindHandler(
                    client.objects(kind),
                    kind=kind,
                    waiter=self._waiter,
                    cancellation=self.cancellation,
                    on_write=snapshot.invalidate if snapshot is not None else _nothing,
                )
                self._handlers[kind] = handler
            return handler

    def snapshot_for(self, kind: Kind) -> RefreshSnapshot | None:
        """The list of the workspace that serves this process's refreshes of ``kind`` (None for a kind whose
        description does not ask for one: each refresh is a GET)."""
        self.handler_for(kind)
        return self._snapshots.get(kind)

    def _snapshot_of(self, kind: Kind, client: Any, clock: Clock) -> RefreshSnapshot | None:
        if kind.list_refresh and kind not in self._snapshots:
            self._snapshots[kind] = RefreshSnapshot(
                lambda: client.list_objects(kind, deadline=clock.now() + _LIST_TIMEOUT),
                statuses=kind.lifecycle is not None,
            )
        return self._snapshots.get(kind)

    def _shared_client(self) -> tuple[Any, Clock]:
        """The one API client of this process and the clock of its deadlines; call with ``_lock`` held."""
        from blaxel_constructs.timing import Clock

        clock = Clock(sleep=self.cancellation.sleep)  # every wait ends when Terraform asks to stop
        if self._client is None:
            if self._config is None:
                raise errors.ConfigurationError(
                    "the blaxel provider was not configured; set BL_API_KEY and BL_WORKSPACE or the provider block"
                )
            import requests

            from blaxel_constructs.client import BlaxelClient, RetryPolicy

            session = requests.Session()
            session.hooks["response"].append(self._count_response)
            self._client = BlaxelClient(self._config, session=session, retry=RetryPolicy(clock=clock))
        return self._client, clock

    # -- the earlier names, one per kind --------------------------------------------------------------

    def handler(self) -> KindHandler:
        """The model handler for this process."""
        return self.handler_for(MODEL)

    def connection_handler(self) -> KindHandler:
        """The integration connection handler for this process."""
        return self.handler_for(INTEGRATION_CONNECTION)

    def policy_handler(self) -> KindHandler:
        """The policy handler for this process."""
        return self.handler_for(POLICY)

    def model_snapshot(self) -> RefreshSnapshot:
        """The list of the workspace that serves this process's refreshes of models."""
        snapshot = self.snapshot_for(MODEL)
        assert snapshot is not None  # models are refreshed from a list
        return snapshot

    def timings(self) -> str:
        """This process's totals so far, for the ``timing`` lines the benchmarks read from Terraform's log."""
        waiter = self._waiter
        return (
            f"http_requests={self.http_requests} http_seconds={self.http_seconds:.4f} "
            f"slept_seconds={waiter.slept if waiter else 0.0:.4f} probes={waiter.probes if waiter else 0}"
        )

    def _count_response(self, response: Any, *args: Any, **kwargs: Any) -> None:
        """``requests`` response hook: how many API requests this process sent and their time to an answer."""
        with self._lock:
            self.http_requests += 1
            self.http_seconds += response.elapsed.total_seconds()


def _nothing() -> None:
    """No snapshot to tell about a write."""
