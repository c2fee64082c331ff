"""One judgement of "try again?" for every layer: is_transient, is_ambiguous, is_retryable."""

from __future__ import annotations

import pytest

from blaxel_constructs import errors


def api(status: int) -> errors.APIError:
    return errors.api_error_for_status(status)(method="POST", path="/models", status=status, error="x")


CASES = [
    # error, transient, ambiguous, retryable POST, retryable PUT
    (errors.ConnectError("refused", method="POST", path="/models"), True, False, True, True),
    (errors.RequestTimeout("no answer", method="POST", path="/models"), True, True, False, True),
    (errors.TransportError("dropped", method="POST", path="/models"), True, True, False, True),
    (api(408), True, True, False, True),
    (api(429), True, False, True, True),
    (api(500), True, True, False, True),
    (api(503), True, True, False, True),
    (api(501), False, True, False, False),
    (api(505), False, True, False, False),
    (api(400), False, False, False, False),
    (api(401), False, False, False, False),
    (api(404), False, False, False, False),
    (api(409), False, False, False, False),
    (errors.OperationInterrupted(), False, False, False, False),
]


@pytest.mark.parametrize(("error", "transient", "ambiguous", "post", "put"), CASES, ids=lambda v: repr(v)[:40])
def test_each_failure_is_classified_the_same_way_for_polling_creates_and_retries(
    error: errors.BlaxelError, transient: bool, ambiguous: bool, post: bool, put: bool
) -> None:
    assert errors.is_transient(error) is transient
    assert errors.is_ambiguous(error) is ambiguous
    assert errors.is_retryable(error, idempotent=False) is post
    assert errors.is_retryable(error, idempotent=True) is put
