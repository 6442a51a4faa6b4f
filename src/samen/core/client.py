"""The client's address, the same for every limit: the login lockout (django-axes), the API's rate limits
(Django REST framework) and the public forms' limit.

Without proxies (SAMEN_TRUSTED_PROXIES=0, the default) it is the connection's own address and any
X-Forwarded-For header is ignored: a client could otherwise escape every limit by sending one. Behind N
trusted proxies it is the address the outermost of them added, the N-th from the right in X-Forwarded-For
(what the client wrote there itself stays to the left and is ignored). The rule is DRF's own
(``BaseThrottle.get_ident`` with ``NUM_PROXIES``, set from the same setting), so the three limits agree.
"""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

_IDENT = BaseThrottle()


def client_address(request) -> str:
    return _IDENT.get_ident(request)
