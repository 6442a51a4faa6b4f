"""A bounded property-based run over the OpenAPI schema (schemathesis), anonymous and with a token
(issue 11, item 9): no answer is a 5xx, and every answer is what the schema says (status, content type,
body). Derandomized and a fixed number of examples per operation, so the run is repeatable and short."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def no_rate_limits(monkeypatch):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from rest_framework.settings import api_settings

    # The run sends hundreds of requests from one address in a minute; the rate limits are tested elsewhere.
    for scope in ("anon", "user", "apikey"):
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/minute")
    # As Django's test client does: the WSGI app must not close the test's database connection after a request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Examples per operation: valid input, and input the schema forbids (odd ids, NUL bytes, wrong types).
MODES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}


def _fuzz(headers: dict) -> list[str]:
    """Run every operation of the schema; return one line per operation that failed a check."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    failures = []
    for operation, mode in ((result.ok(), mode) for result in schema.get_all_operations() for mode in MODES):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MODES[mode], derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            pass  # no input the schema forbids (an operation without parameters): nothing to try
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, report them all
            failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    return failures


@pytest.mark.django_db
def test_the_api_answers_anonymous_callers_as_its_schema_says(hilversum, no_rate_limits):
    failures = _fuzz({})
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_the_api_answers_a_token_as_its_schema_says(demo_user, no_rate_limits):
    from samen.core.services.users import issue_token

    token = issue_token(demo_user("regisseur"))[1]
    failures = _fuzz({"Authorization": f"Token {token}"})
    assert not failures, "\n\n".join(failures)
