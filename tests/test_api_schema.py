"""Schemathesis over /openapi.json: generated requests to every operation find no server error and no
response that breaks the schema (status codes, content types, bodies, headers).

Each operation gets its own test: at least 50 generated cases that fit the schema, then generated cases
that do not (which must be refused with a documented 4xx, never a 500). The operations are driven through
schemathesis' strategies (`APIOperation.as_strategy`) and Hypothesis directly: its pytest plugin's lazy
fixture loader does not work with this pytest.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ondit.api.app import create_app
from tests.api_support import examples_store_url

CASES_PER_OPERATION = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
OPERATIONS = [
    "GET /api/entities",
    "GET /api/entities/{entity_id}",
    "GET /api/entities/{entity_id}/story",
    "GET /api/claims",
    "GET /api/claims/{claim_id}",
    "GET /api/sources",
    "GET /api/articles/{article_id}",
    "POST /api/extract",
    "POST /api/articles",
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # a token is configured and the generated requests carry none: every write must be refused (401)
    app = create_app(examples_store_url(tmp_path_factory.mktemp("schema")), token="not-given-to-the-fuzzer")
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_schema_lists_every_operation(api_schema: Any) -> None:
    labels = [f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()]
    assert sorted(labels) == sorted(OPERATIONS)


def _run(api_schema: Any, label: str, mode: GenerationMode, examples: int) -> Counter[str]:
    op = api_schema.find_operation_by_label(label)
    assert op is not None, label
    seen: Counter[str] = Counter()

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call()
        seen[repr((case.path_parameters, case.query, case.body))] += 1
        case.validate_response(response, checks=CHECKS)
        assert response.status_code < 500, response.text
        if label == "POST /api/articles":
            assert response.status_code in (401, 413), response.text  # never written without the token
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, response.text

    check()
    return seen


@pytest.mark.parametrize("label", OPERATIONS)
def test_generated_requests_conform(api_schema: Any, label: str) -> None:
    seen = _run(api_schema, label, GenerationMode.POSITIVE, CASES_PER_OPERATION + 10)
    if label == "GET /api/sources":
        assert seen  # no parameter: nothing to vary
    else:
        assert sum(seen.values()) >= CASES_PER_OPERATION, (label, sum(seen.values()))


@pytest.mark.parametrize("label", [op for op in OPERATIONS if op != "GET /api/sources"])
def test_requests_outside_the_schema_are_refused(api_schema: Any, label: str) -> None:
    _run(api_schema, label, GenerationMode.NEGATIVE, CASES_PER_OPERATION)
