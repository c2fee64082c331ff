"""The SQLite record store: in memory or in a file, shared by threads, and what a restart sees."""

from __future__ import annotations

import threading
from pathlib import Path

from blaxel_constructs.emulator import EmulatorConfig, LifecycleSettings, create_app
from blaxel_constructs.emulator.storage import SqliteRecordStore

from .documents import model_document
from .fakes import emulator_clock

AUTH = {"Authorization": "Bearer emulator-key"}


def test_given_a_file_store_when_reopened_then_every_record_is_still_there(tmp_path: Path) -> None:
    first = SqliteRecordStore(tmp_path / "sub" / "state.db")
    first.put("ws", "a", {"n": 1})
    first.put("ws", "b", {"n": 2})
    first.put("other", "a", {"n": 3})
    first.delete("ws", "b")
    first.close()

    reopened = SqliteRecordStore(tmp_path / "sub" / "state.db")

    assert reopened.get("ws", "a") == {"n": 1}
    assert reopened.get("ws", "b") is None
    assert reopened.list("ws") == [{"n": 1}]
    assert reopened.list("other") == [{"n": 3}]
    reopened.close()


def test_given_a_memory_store_when_a_record_is_replaced_then_the_latest_wins() -> None:
    store = SqliteRecordStore(None)
    store.put("ws", "a", {"v": 1})

    store.put("ws", "a", {"v": 2})

    assert store.list("ws") == [{"v": 2}]
    store.close()


def test_given_many_threads_when_writing_at_once_then_no_write_is_lost() -> None:
    store = SqliteRecordStore(None)

    def write(worker: int) -> None:
        for index in range(50):
            store.put("ws", f"m-{worker}-{index}", {"worker": worker, "index": index})

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(store.list("ws")) == 400
    store.close()


def test_given_a_deployment_in_progress_when_the_app_restarts_on_the_same_file_then_it_finishes_on_time(
    tmp_path: Path,
) -> None:
    clock = emulator_clock()
    config = EmulatorConfig(lifecycle=LifecycleSettings(deploy_seconds=5.0))
    before = SqliteRecordStore(tmp_path / "state.db")
    created = (
        create_app(config, clock=clock, store=before)
        .test_client()
        .post("/v0/models", json=model_document("m1"), headers=AUTH)
    )
    before.close()

    clock.advance(4.0)
    after = SqliteRecordStore(tmp_path / "state.db")
    restarted = create_app(EmulatorConfig(lifecycle=LifecycleSettings(deploy_seconds=0.1)), clock=clock, store=after)
    client = restarted.test_client()

    assert client.get("/v0/models/m1", headers=AUTH).get_json()["status"] == "DEPLOYING"
    clock.advance(1.0)
    model = client.get("/v0/models/m1", headers=AUTH).get_json()
    assert model["status"] == "DEPLOYED"
    assert model["metadata"] == created.get_json()["metadata"]
    after.close()


def test_given_tokens_in_a_file_store_when_reopened_then_they_are_there_until_purged(tmp_path: Path) -> None:
    first = SqliteRecordStore(tmp_path / "state.db")
    first.put_token("digest-a", {"identity": "client-a", "workspace": "ws", "issuedAt": 0.0, "expiresAt": 100.0})
    first.put_token("digest-b", {"identity": "client-b", "workspace": "ws", "issuedAt": 0.0, "expiresAt": 200.0})
    first.close()

    reopened = SqliteRecordStore(tmp_path / "state.db")
    found = reopened.get_token("digest-a")
    reopened.purge_tokens(expired_before=150.0)

    assert found == {"identity": "client-a", "workspace": "ws", "issuedAt": 0.0, "expiresAt": 100.0}
    assert reopened.get_token("digest-a") is None
    assert reopened.get_token("digest-b") is not None
    assert reopened.get_token("unknown") is None
    assert reopened.list("ws") == []  # tokens and models live apart
    reopened.close()


def test_given_resources_in_a_file_store_when_reopened_then_each_kind_keeps_its_own(tmp_path: Path) -> None:
    first = SqliteRecordStore(tmp_path / "state.db")
    first.put_resource("connection", "ws", "a", {"n": 1})
    first.put_resource("policy", "ws", "a", {"n": 2})
    first.put_resource("connection", "ws", "b", {"n": 3})
    first.delete_resource("connection", "ws", "b")
    first.close()

    reopened = SqliteRecordStore(tmp_path / "state.db")

    assert reopened.get_resource("connection", "ws", "a") == {"n": 1}
    assert reopened.get_resource("policy", "ws", "a") == {"n": 2}
    assert reopened.get_resource("connection", "ws", "b") is None
    assert reopened.list_resources("connection", "ws") == [{"n": 1}]
    assert reopened.list_resources("policy", "other") == []
    assert reopened.get("ws", "a") is None
    reopened.close()
