"""The API's object routes under ``/v0``, the same for every kind: authenticate (``api_access``), decode, one call
of the kind's registry, encode. Errors are raised and rendered by the app's handlers (``error_responses``).

Each kind is one ``Collection``: its path, the spec's name of its path parameter (so that the stats show the
spec's path templates), its input check and its registry (the model state machine, the connections, the
policies: each answers ``list``, ``create``, ``get``, ``update`` and ``delete``), whether its list pages with
the API version, and the read-only sub-resources its registry answers::

    GET    /v0/{collection}                     200, a bare array before 2026-04-28 and {data, meta} from it
                                                (a bare array at every version when ``paged`` is false)
    POST   /v0/{collection}                     200 with the object, 400 invalid, 409 if the name exists
    GET    /v0/{collection}/{name}              200, 404
    PUT    /v0/{collection}/{name}              200 with the object, 400, 404
    DELETE /v0/{collection}/{name}              200 with the deleted object (a model: DELETING), 404, 409 in use
    GET    /v0/{collection}/{name}/{read}       200 (``revisions`` of a model, ``usages`` of a policy), 404

The emulator keeps its own table of kinds (``app.COLLECTIONS``): it shares no code with the client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response

from blaxel_constructs.emulator.api_access import authorize_api_request
from blaxel_constructs.emulator.context import Emulator, current_caller, current_emulator
from blaxel_constructs.emulator.payloads import json_response, listing_response, read_json_body

__all__ = ["Collection", "objects_api"]


@dataclass(frozen=True)
class Collection:
    """One kind of object as the API serves it (module docstring)."""

    #: Path under ``/v0`` (``/integrations/connections``).
    path: str
    #: The spec's name of the path parameter (``connectionName``).
    parameter: str
    #: The body of a POST or PUT -> what is stored; ``path_name`` is a PUT's name (an invalid body raises).
    clean: Callable[..., dict[str, Any]]
    #: The kind's registry in the app's services.
    registry: Callable[[Emulator], Any]
    #: Whether its list follows the version's pagination (connections: a bare array at every version).
    paged: bool = True
    #: Read-only sub-resources, each answered by the registry's method of the same name.
    reads: tuple[str, ...] = ()


def objects_api(collections: tuple[Collection, ...]) -> Blueprint:
    """A blueprint serving every collection under ``/v0``."""
    api = Blueprint("objects", __name__, url_prefix="/v0")
    api.before_request(authorize_api_request)
    for collection in collections:
        _serve(api, collection)
    return api


def _serve(api: Blueprint, collection: Collection) -> None:
    one = f"{collection.path}/<{collection.parameter}>"
    key = collection.parameter

    def registry() -> Any:
        return collection.registry(current_emulator())

    def list_objects() -> Response:
        caller = current_caller()
        items = registry().list(caller.workspace)
        return listing_response(items, version=caller.version) if collection.paged else json_response(items)

    def create_object() -> Response:
        caller = current_caller()
        document = collection.clean(read_json_body())
        return json_response(registry().create(caller.workspace, document, identity=caller.identity))

    def get_object(**path: str) -> Response:
        return json_response(registry().get(current_caller().workspace, path[key]))

    def update_object(**path: str) -> Response:
        caller = current_caller()
        document = collection.clean(read_json_body(), path_name=path[key])
        return json_response(registry().update(caller.workspace, path[key], document, identity=caller.identity))

    def delete_object(**path: str) -> Response:
        return json_response(registry().delete(current_caller().workspace, path[key]))

    api.add_url_rule(collection.path, f"list_{key}", list_objects, methods=["GET"])
    api.add_url_rule(collection.path, f"create_{key}", create_object, methods=["POST"])
    api.add_url_rule(one, f"get_{key}", get_object, methods=["GET"])
    api.add_url_rule(one, f"update_{key}", update_object, methods=["PUT"])
    api.add_url_rule(one, f"delete_{key}", delete_object, methods=["DELETE"])
    for read in collection.reads:
        api.add_url_rule(f"{one}/{read}", f"{read}_{key}", _read_view(registry, read, key), methods=["GET"])


def _read_view(registry: Callable[[], Any], read: str, key: str) -> Callable[..., Response]:
    def view(**path: str) -> Response:
        return json_response(getattr(registry(), read)(current_caller().workspace, path[key]))

    return view
