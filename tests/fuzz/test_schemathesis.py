"""Schemathesis against each service's own OpenAPI document, with valid tokens.

No input may cause a 5xx, and every response must match the schema the service publishes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from .conftest import all_roles_headers

CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run: a failure reproduces
    database=None,
)
SERVICES = ["meldpunt", "vertrouwenspersonen", "klachten", "rapportage"]


def _fuzz(schema: Any, headers: dict[str, str]) -> tuple[dict[str, str], Counter[int]]:
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @SETTINGS
        def run(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report all
            failures[operation.label] = str(exc)[:2000]
    return failures, statuses


@pytest.mark.parametrize("service", SERVICES)
def test_api_never_fails_and_keeps_its_schema(service, request, tokens):  # type: ignore[no-untyped-def]
    schema = request.getfixturevalue(f"{service}_schema")
    failures, statuses = _fuzz(schema, all_roles_headers(tokens))
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    # the fuzzer reached the handlers, not only the validation layer
    assert any(200 <= s < 300 for s in statuses), statuses
