"""One session of Blaxel's official Python SDK against an API, as a user's script would run it; a JSON report on stdout.

Run by ``test_sdk_client.py`` in a fresh interpreter (``python sdk_session.py BASE_URL PREFIX``), because the
SDK configures itself once, when first imported, from the process environment: ``BL_API_KEY`` and
``BL_WORKSPACE`` become its ``X-Blaxel-Authorization`` and ``X-Blaxel-Workspace`` headers and
``BL_API_VERSION`` its ``Blaxel-Version`` header. Its base URL follows ``BL_ENV`` (prod or dev) only, so the
session points the SDK's own client at ``BASE_URL`` with ``with_base_url``, the one call it needs.

Every call goes through the SDK's generated API functions (``blaxel.core.client.api.models``); the report
holds, for each call, the status code, the SDK class it parsed the answer into, and the raw body, so the
test can check the raw JSON against the oracle too. Nothing here asserts: the test does.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

#: How long a model may take to reach the status a step waits for (the emulator deploys in 0.3 s).
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.1
#: The request headers the report keeps.
SENT_HEADERS = ("Blaxel-Version", "X-Blaxel-Authorization", "X-Blaxel-Workspace", "User-Agent")


def main(base_url: str, prefix: str) -> None:
    """Create two models, read, list (two pages), update, list revisions, delete; print the report."""
    from blaxel.core.client import client as configured
    from blaxel.core.client.api.models import (
        create_model,
        delete_model,
        get_model,
        list_model_revisions,
        list_models,
        update_model,
    )
    from blaxel.core.client.models import (
        Flavor,
        FlavorType,
        Metadata,
        MetadataLabels,
        Model,
        ModelRuntime,
        ModelRuntimeType,
        ModelSpec,
        Status,
    )
    from blaxel.core.client.models.list_models_sort import ListModelsSort

    # ``with_base_url`` returns a copy without the SDK's request hooks (User-Agent, response interceptors)
    # and also points the configured client itself at ``base_url``: keep using that one, as the SDK does.
    configured.with_base_url(base_url)
    client = configured
    report: dict[str, Any] = {"auth": type(client._auth).__name__, "sent": [], "steps": []}

    def capture(request: Any) -> None:
        """Keep the headers of each request as it leaves, after the SDK's own hooks and auth flow."""
        report["sent"].append({name: request.headers.get(name) for name in SENT_HEADERS})

    client.get_httpx_client().event_hooks["request"].append(capture)

    def record(step: str, response: Any) -> Any:
        parsed = response.parsed
        kind = [type(item).__name__ for item in parsed] if isinstance(parsed, list) else type(parsed).__name__
        report["steps"].append(
            {
                "step": step,
                "status": int(response.status_code),
                "parsed": kind,
                "body": json.loads(response.content) if response.content else None,
            }
        )
        return parsed

    def wait_for(step: str, name: str, done: Callable[[Any], bool]) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        response = get_model.sync_detailed(name, client=client)
        while not done(response) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            response = get_model.sync_detailed(name, client=client)
        record(step, response)

    def deployed(response: Any) -> bool:
        return isinstance(response.parsed, Model) and response.parsed.status == Status.DEPLOYED

    def fetched(name: str) -> Model:
        """The model as the API has it now; the session stops (exit status 1) with the answer if it is not one."""
        parsed = get_model.sync_detailed(name, client=client).parsed
        if not isinstance(parsed, Model):
            raise SystemExit(f"cannot read model {name!r}: {parsed!r}")
        return parsed

    chat, embed = f"{prefix}-chat", f"{prefix}-embed"
    labels = MetadataLabels()
    labels["team"] = "ml"
    body = Model(
        metadata=Metadata(name=chat, display_name="Chat", labels=labels),
        spec=ModelSpec(
            runtime=ModelRuntime(type_=ModelRuntimeType.OPENAI, model="gpt-4.1"),
            flavors=[Flavor(name="t4", type_=FlavorType.CPU)],
        ),
    )
    record("create", create_model.sync_detailed(client=client, body=body))
    record("create again", create_model.sync_detailed(client=client, body=body))
    wait_for("deployed", chat, deployed)
    second = Model(
        metadata=Metadata(name=embed),
        spec=ModelSpec(runtime=ModelRuntime(type_=ModelRuntimeType.MISTRAL, model="mistral-embed")),
    )
    record("create second", create_model.sync_detailed(client=client, body=second))
    wait_for("second deployed", embed, deployed)

    first_page = record("list page 1", list_models.sync_detailed(client=client, limit=1, sort=ListModelsSort.NAMEASC))
    record(
        "list page 2",
        list_models.sync_detailed(
            client=client, limit=1, sort=ListModelsSort.NAMEASC, cursor=first_page.meta.next_cursor
        ),
    )

    current = fetched(chat)
    if not isinstance(current.spec.runtime, ModelRuntime):
        raise SystemExit(f"model {chat!r} came back without a runtime: {current!r}")
    current.spec.runtime.model = "gpt-4.1-mini"
    current.metadata.display_name = "Chat (mini)"
    record("update", update_model.sync_detailed(chat, client=client, body=current))
    wait_for(
        "updated",
        chat,
        lambda response: deployed(response) and response.parsed.spec.runtime.model == "gpt-4.1-mini",
    )
    record("revisions", list_model_revisions.sync_detailed(chat, client=client))

    for name in (chat, embed):
        record(f"delete {name}", delete_model.sync_detailed(name, client=client))
        wait_for(f"gone {name}", name, lambda response: response.status_code == 404)
    record("list after delete", list_models.sync_detailed(client=client))
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
