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
from blaxel_constructs.provider.integration_connection_data_source import IntegrationConnectionDataSource
from blaxel_constructs.provider.integration_connection_resource import IntegrationConnectionResource
from blaxel_constructs.provider.model_data_source import ModelDataSource
from blaxel_constructs.provider.model_resource import ModelResource
from blaxel_constructs.provider.model_snapshot import ModelSnapshot
from blaxel_constructs.provider.policy_data_source import PolicyDataSource
from blaxel_constructs.provider.policy_resource import PolicyResource
from blaxel_constructs.provider.schema import provider_schema

if TYPE_CHECKING:
    from blaxel_constructs.client import BlaxelClient, ClientConfig
    from blaxel_constructs.handler import ModelHandler
    from blaxel_constructs.handler.integration_connection_handler import IntegrationConnectionHandler
    from blaxel_constructs.handler.policy_handler import PolicyHandler
    from blaxel_constructs.timing import Clock

__all__ = ["PROVIDER_ADDRESS", "BlaxelTerraformProvider"]

PROVIDER_ADDRESS = identity.ADDRESS
_ARGUMENTS = ("api_url", "workspace", "api_key", "client_credentials", "api_version")
#: Seconds the list serving a plan's refreshes may take, retries included (then: a GET per read).
_LIST_TIMEOUT = 60.0


class BlaxelTerraformProvider(Provider):  # type: ignore[misc]
    """Serves ``blaxel_model``, ``blaxel_integration_connection`` and ``blaxel_policy``; one API client per
    Terraform process, shared by their handlers."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._config: ClientConfig | None = None
        self._handler: ModelHandler | None = None
        self._snapshot: ModelSnapshot | None = None
        #: API requests sent by this process and their total time to an answer (see ``timings``).
        self.http_requests = 0
        self.http_seconds = 0.0
        self._connection_handler: IntegrationConnectionHandler | None = None
        self._policy_handler: PolicyHandler | None = None
        self._client: BlaxelClient | None = None
        self._lock = threading.Lock()
        #: Cancelled by ``stop()``; every sleep of the client and the handler of this process observes it.
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
        return [ModelDataSource, IntegrationConnectionDataSource, PolicyDataSource]

    def get_resources(self) -> list[type[Resource]]:
        return [ModelResource, IntegrationConnectionResource, PolicyResource]

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

    def handler(self) -> ModelHandler:
        """The model handler for this process, created on first use."""
        from blaxel_constructs.handler import ModelHandler, Waiter

        with self._lock:
            if self._handler is None:
                client, clock = self._shared_client()
                self._handler = ModelHandler(client, waiter=Waiter(clock=clock), cancellation=self.cancellation)
            return self._handler

    def connection_handler(self) -> IntegrationConnectionHandler:
        """The integration connection handler for this process, created on first use."""
        from blaxel_constructs.handler.integration_connection_handler import IntegrationConnectionHandler
        from blaxel_constructs.handler.waiter import Waiter

        with self._lock:
            if self._connection_handler is None:
                client, clock = self._shared_client()
                self._connection_handler = IntegrationConnectionHandler(
                    client, waiter=Waiter(clock=clock), cancellation=self.cancellation
                )
            return self._connection_handler

    def policy_handler(self) -> PolicyHandler:
        """The policy handler for this process, created on first use."""
        from blaxel_constructs.handler.policy_handler import PolicyHandler
        from blaxel_constructs.handler.waiter import Waiter

        with self._lock:
            if self._policy_handler is None:
                client, clock = self._shared_client()
                self._policy_handler = PolicyHandler(client, waiter=Waiter(clock=clock), cancellation=self.cancellation)
            return self._policy_handler

    def _shared_client(self) -> tuple[BlaxelClient, Clock]:
        """The one API client of this process and the clock of its deadlines; call with ``_lock`` held."""
        from blaxel_constructs.client import BlaxelClient, RetryPolicy
        from blaxel_constructs.timing import Clock

        clock = Clock(sleep=self.cancellation.sleep)  # every wait ends when Terraform asks to stop
        if self._client is None:
            if self._config is None:
                raise errors.ConfigurationError(
                    "the blaxel provider was not configured; set BL_API_KEY and BL_WORKSPACE or the provider block"
                )
            import requests

            session = requests.Session()
            session.hooks["response"].append(self._count_response)
            client = BlaxelClient(self._config, session=session, retry=RetryPolicy(clock=clock))
            self._client = client
            self._snapshot = ModelSnapshot(lambda: client.list_models(deadline=clock.now() + _LIST_TIMEOUT))
        return self._client, clock

    def timings(self) -> str:
        """This process's totals so far, for the ``timing`` lines the benchmarks read from Terraform's log."""
        waiter = self._handler.waiter if self._handler is not None else None
        return (
            f"http_requests={self.http_requests} http_seconds={self.http_seconds:.4f} "
            f"slept_seconds={waiter.slept if waiter else 0.0:.4f} probes={waiter.probes if waiter else 0}"
        )

    def _count_response(self, response: Any, *args: Any, **kwargs: Any) -> None:
        """``requests`` response hook: how many API requests this process sent and their time to an answer."""
        with self._lock:
            self.http_requests += 1
            self.http_seconds += response.elapsed.total_seconds()

    def model_snapshot(self) -> ModelSnapshot:
        """The list of the workspace that serves this process's refreshes (``model_snapshot``)."""
        self.handler()
        assert self._snapshot is not None  # made with the handler
        return self._snapshot
