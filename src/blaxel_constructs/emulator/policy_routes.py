"""The policies API under ``/v0``: authenticate (``api_access``), decode, one registry call, encode. Errors
are raised and rendered by the app's handlers (``error_responses``).

| route | answer |
|---|---|
| ``GET /v0/policies`` | bare array before 2026-04-28, ``{data, meta}`` from it (``PolicyList``) |
| ``POST /v0/policies`` | 200 with the policy, 400 invalid, 409 if the name exists |
| ``GET /v0/policies/{policyName}`` | 200, 404 |
| ``PUT /v0/policies/{policyName}`` | 200 with the policy, 400, 404 |
| ``DELETE /v0/policies/{policyName}`` | 200 with the deleted policy, 404 |
| ``GET /v0/policies/{policyName}/usages`` | 200 with ``PolicyUsages`` (the models naming it), 404 |
"""

from __future__ import annotations

from flask import Blueprint, Response

from blaxel_constructs.emulator.api_access import authorize_api_request
from blaxel_constructs.emulator.context import current_caller, current_emulator
from blaxel_constructs.emulator.input_validation import clean_policy
from blaxel_constructs.emulator.payloads import json_response, listing_response, read_json_body

__all__ = ["policies_api"]

policies_api = Blueprint("policies", __name__, url_prefix="/v0")
# Route parameters keep the spec's name (``policyName``) so that the stats show the spec's path templates.
policies_api.before_request(authorize_api_request)


@policies_api.get("/policies")
def list_policies() -> Response:
    """All policies (old versions) or one page of them (from 2026-04-28)."""
    caller = current_caller()
    return listing_response(current_emulator().policies.list(caller.workspace), version=caller.version)


@policies_api.post("/policies")
def create_policy() -> Response:
    """Create a policy."""
    caller = current_caller()
    document = clean_policy(read_json_body())
    return json_response(current_emulator().policies.create(caller.workspace, document, identity=caller.identity))


@policies_api.get("/policies/<policyName>")
def get_policy(policyName: str) -> Response:
    """One policy."""
    return json_response(current_emulator().policies.get(current_caller().workspace, policyName))


@policies_api.put("/policies/<policyName>")
def update_policy(policyName: str) -> Response:
    """Replace a policy's whole document."""
    caller = current_caller()
    document = clean_policy(read_json_body(), path_name=policyName)
    return json_response(
        current_emulator().policies.update(caller.workspace, policyName, document, identity=caller.identity)
    )


@policies_api.delete("/policies/<policyName>")
def delete_policy(policyName: str) -> Response:
    """Delete a policy."""
    return json_response(current_emulator().policies.delete(current_caller().workspace, policyName))


@policies_api.get("/policies/<policyName>/usages")
def policy_usages(policyName: str) -> Response:
    """The models that name the policy."""
    return json_response(current_emulator().policies.usages(current_caller().workspace, policyName))
