"""The plan's list of models (``RefreshSnapshot``) and the resource's refresh over it: when a read is served
from the list and when it must be a GET, including other writers changing the workspace meanwhile, and this
process's own writes, which invalidate it before they are sent and after they return."""

from __future__ import annotations

from typing import Any

import pytest

from blaxel_constructs.errors import BadRequestError, ServerError
from blaxel_constructs.kinds import MODEL
from blaxel_constructs.provider.kind_resource import ModelResource
from blaxel_constructs.provider.refresh_snapshot import IMPORT, LIST_AFTER_READS, ModelSnapshot, RefreshSnapshot
from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider
from tests.support.handler_fake import FakeHandler, FakeProvider, api_document
from tests.support.objects_fake import FakeClient, FakeObjects, Fault


class Workspace:
    """Another writer's view of the API: the models, and how often the provider listed them."""

    def __init__(self, *names: str, status: str = "DEPLOYED") -> None:
        self.models = {name: api_document(name, status=status) for name in names}
        self.lists = 0

    def list(self) -> list[dict[str, Any]]:
        self.lists += 1
        return [dict(document) for document in self.models.values()]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def snapshot_over(workspace: Workspace, clock: Clock | None = None, **options: Any) -> ModelSnapshot:
    return ModelSnapshot(workspace.list, now=clock or Clock(), list_after=options.pop("list_after", 0), **options)


def test_given_fewer_reads_than_the_threshold_when_reading_then_nothing_is_listed() -> None:
    workspace = Workspace("a", "b")
    snapshot = snapshot_over(workspace, list_after=2)

    assert [snapshot.take("a"), snapshot.take("b")] == [None, None]
    assert workspace.lists == 0


def test_given_many_reads_when_reading_then_one_list_serves_them_all() -> None:
    workspace = Workspace(*(f"m{i}" for i in range(50)))
    snapshot = snapshot_over(workspace)

    served = [snapshot.take(f"m{i}") for i in range(50)]

    assert workspace.lists == 1
    assert [document["metadata"]["name"] for document in served if document] == [f"m{i}" for i in range(50)]


def test_given_a_listed_model_when_it_is_read_twice_then_the_second_read_is_a_get() -> None:
    snapshot = snapshot_over(Workspace("a"))

    assert snapshot.take("a") is not None
    assert snapshot.take("a") is None


def test_given_a_plan_importing_a_model_when_it_is_imported_then_refreshed_then_one_list_serves_both_once() -> None:
    workspace = Workspace("a")
    snapshot = snapshot_over(workspace)

    imported, refreshed = snapshot.take("a", IMPORT), snapshot.take("a")

    assert imported is not None and refreshed is not None
    assert workspace.lists == 1
    assert snapshot.take("a", IMPORT) is None and snapshot.take("a") is None


def test_given_a_write_when_a_model_is_imported_after_it_then_a_list_made_after_the_write_serves_it() -> None:
    snapshot = snapshot_over(Workspace("a", "b"))
    snapshot.take("a", IMPORT)

    snapshot.invalidate()

    assert snapshot.take("b", IMPORT) is not None  # a fresh list, made after the write
    assert snapshot.lists == 2


def test_given_a_model_created_by_another_writer_after_the_list_when_it_is_read_then_it_is_read_with_a_get() -> None:
    workspace = Workspace("a")
    snapshot = snapshot_over(workspace)
    snapshot.take("a")

    workspace.models["late"] = api_document("late")

    assert snapshot.take("late") is None  # absent from the list: never reported gone from it, the GET decides


def test_given_a_model_deploying_when_listed_then_its_read_is_a_get() -> None:
    snapshot = snapshot_over(Workspace("busy", status="DEPLOYING"))

    assert snapshot.take("busy") is None


def test_given_a_model_changed_by_another_writer_after_the_snapshot_expired_when_read_then_it_is_read_fresh() -> None:
    workspace, clock = Workspace("a", "b"), Clock()
    snapshot = snapshot_over(workspace, clock, max_age=5.0)
    snapshot.take("a")

    workspace.models["b"] = api_document("b", displayName="changed by someone else")
    clock.now = 6.0
    read = snapshot.take("b")

    assert workspace.lists == 2
    assert read is not None and read["spec"]["displayName"] == "changed by someone else"


def test_given_a_write_by_this_process_when_a_model_is_read_next_then_the_earlier_list_is_not_used() -> None:
    workspace = Workspace("a", "b")
    snapshot = snapshot_over(workspace)
    snapshot.take("a")

    snapshot.invalidate()  # the write is about to be sent
    workspace.models["b"] = api_document("b", displayName="after our write")  # the API applies it
    snapshot.invalidate()  # the write has returned
    read = snapshot.take("b")

    assert read is not None and read["spec"]["displayName"] == "after our write"


# -- the provider's writes invalidate the snapshot, before and after (``KindHandler``'s ``on_write``) ------


MODEL_SENT = {"metadata": {"name": "b"}, "spec": {"runtime": {"type": "openai", "model": "gpt-4.1"}, "sandbox": True}}


def served() -> tuple[BlaxelTerraformProvider, FakeObjects, RefreshSnapshot]:
    """A provider over a fake API holding models ``a`` and ``b``, whose snapshot has listed them once already."""
    client = FakeClient()
    provider = BlaxelTerraformProvider(environ={}, client=client)
    server = client.objects(MODEL)
    for name in ("a", "b"):
        server.seed({"metadata": {"name": name}, "spec": {"runtime": {"type": "openai", "model": "gpt-4.1"}}})
    snapshot = provider.snapshot_for(MODEL)
    assert snapshot is not None
    for _ in range(LIST_AFTER_READS + 1):
        snapshot.take("nobody")
    assert snapshot.lists == 1
    return provider, server, snapshot


def test_given_a_list_made_before_a_write_when_another_call_reads_while_it_is_in_flight_then_the_list_is_not_used() -> (
    None
):
    provider, server, snapshot = served()
    during: list[Any] = []
    server.after_apply["PUT"] = lambda: during.append(snapshot.take("b"))  # another refresh, once the API applied it

    provider.handler_for(MODEL).update("b", MODEL_SENT, timeout=60)

    # The list made before the write was dropped as the PUT was sent: that read listed again, after the change.
    ((read,),) = [during]
    assert read is not None and read["spec"]["sandbox"] is True and snapshot.lists == 2


def test_given_a_list_made_while_a_write_is_in_flight_when_read_after_it_then_it_shows_the_write() -> None:
    provider, server, snapshot = served()
    server.before_apply["PUT"] = lambda: snapshot.take("a")  # another refresh lists before the API applies the PUT

    provider.handler_for(MODEL).update("b", MODEL_SENT, timeout=60)
    read = snapshot.take("b")

    # That list shows b as it was before the write: dropped once the write returned, so this read lists anew.
    assert read is not None and read["spec"].get("sandbox") is True and snapshot.lists == 3


def test_given_a_write_that_fails_when_read_after_it_then_no_list_from_its_flight_is_used() -> None:
    provider, server, snapshot = served()
    server.faults.append(
        Fault("PUT", BadRequestError(method="PUT", path="/models/b", status=400, error="no"), applied=True)
    )
    server.before_apply["PUT"] = lambda: snapshot.take("a")

    with pytest.raises(BadRequestError):  # the API applied the PUT, but its answer is an error
        provider.handler_for(MODEL).update("b", MODEL_SENT, timeout=60)
    read = snapshot.take("b")

    assert read is not None and read["spec"].get("sandbox") is True and snapshot.lists == 3


def test_given_a_list_that_fails_when_reading_then_every_read_is_a_get_and_nothing_is_listed_again() -> None:
    calls = 0

    def failing() -> list[dict[str, Any]]:
        nonlocal calls
        calls += 1
        raise ServerError(method="GET", path="/models", status=503, error="unavailable")

    snapshot = ModelSnapshot(failing, list_after=0)

    assert [snapshot.take("a"), snapshot.take("b")] == [None, None]
    assert calls == 1


def test_given_a_snapshot_when_the_resource_refreshes_then_listed_models_need_no_get_and_others_do() -> None:
    handler = FakeHandler(read=api_document("other"))
    model = ModelResource(FakeProvider(handler, snapshot_over(Workspace("listed"))))

    class Context:
        diagnostics: Any = None

    listed = model.read(Context(), {"id": "listed", "name": "listed"})  # type: ignore[arg-type]
    other = model.read(Context(), {"id": "other", "name": "other"})  # type: ignore[arg-type]

    assert listed is not None and listed["name"] == "listed"
    assert other is not None and other["name"] == "other"
    assert handler.methods() == ["read"]
