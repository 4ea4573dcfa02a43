"""Per-request memory of policy decisions.

A page often asks the same question several times (the header asks "may they edit?",
the timeline asks it again for each button). Inside a request, the answer cannot change
unless the request itself changes access, so it is computed once. Outside a request
(commands, tests calling the rules directly) nothing is cached: every call asks the
database, which is always correct.

A service that changes access in the middle of a request (a share, a break-glass read)
calls ``forget()``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_decisions: ContextVar[dict | None] = ContextVar("relais_policy_decisions", default=None)


@contextmanager
def decision_cache() -> Iterator[dict]:
    """Remember decisions until the block ends (the middleware wraps each request)."""
    store: dict = {}
    token = _decisions.set(store)
    try:
        yield store
    finally:
        _decisions.reset(token)


def cached(key: tuple, compute: Callable[[], T]) -> T:
    store = _decisions.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget() -> None:
    """Drop the remembered decisions (after a write that changes who may see what)."""
    store = _decisions.get()
    if store is not None:
        store.clear()


class PolicyCacheMiddleware:
    """Gives each request its own decision memory, dropped when the response is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with decision_cache():
            return self.get_response(request)
