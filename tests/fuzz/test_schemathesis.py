"""Schemathesis against each service's own OpenAPI document, with valid tokens.

No input may cause a 5xx, and every response must match the schema the service publishes.
With negative testing (input that breaks the schema on purpose: wrong types, missing and
extra fields, out-of-range values, bad formats) the services must refuse politely: never a
5xx (issue 16).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
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


def _fuzz(
    schema: Any,
    headers: dict[str, str],
    mode: GenerationMode = GenerationMode.POSITIVE,
    checks: list[Any] = CHECKS,
) -> tuple[dict[str, str], Counter[int]]:
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @SETTINGS
        def run(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=checks)
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


@pytest.mark.parametrize("service", SERVICES)
def test_bad_input_is_refused_without_a_server_error(service, request, tokens):  # type: ignore[no-untyped-def]
    schema = request.getfixturevalue(f"{service}_schema")
    failures, statuses = _fuzz(
        schema,
        all_roles_headers(tokens),
        GenerationMode.NEGATIVE,
        [schemathesis.checks.not_a_server_error],
    )
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    assert not any(s >= 500 for s in statuses), statuses
    # most of it was refused as bad input
    assert statuses[400] + statuses[404] + statuses[413] + statuses[415] > 0, statuses
