"""schemathesis against /openapi.json of the real app (WSGI, no network): zero failures.

Every operation of the JSON API is exercised with positive and negative examples generated from
the OpenAPI description, and every default schemathesis check runs on every response: no server
error, documented status codes, content types and response schemas, negative data rejected,
positive data accepted, unsupported methods answered 405. The number of examples is bounded
(``SCHEMATHESIS_EXAMPLES``, default 100 per operation) so the test takes about a minute.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from reliability_support import real_app

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "100"))


# Loaded at collection: schemathesis' fixture loader (``from_fixture``) does not work with this
# pytest. The app shares the graph and advisor that the other web tests load anyway.
schema = schemathesis.openapi.from_wsgi("/openapi.json", real_app(RATELIMIT_ENABLED=False))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_openapi(case):
    case.call_and_validate()
