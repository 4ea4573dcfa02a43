"""Server logs without personal data.

Django logs a failing request with its traceback. The traceback's *frames* (file, line,
function) are what an operator needs; the exception's *message* may quote a value (a
database error repeats the row: ``Key (email)=(…)``, a validation error repeats the
input). This filter keeps the frames and the exception class, drops every message.
"""

import logging
import traceback


def _scrubbed_traceback(exc_type, exc, tb) -> str:
    lines = []
    chain = []
    while exc is not None and len(chain) < 5:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    for position, error in enumerate(reversed(chain)):
        if position:
            lines.append(
                "\nPendant le traitement de l'erreur ci-dessus, une autre est survenue :\n"
            )
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(error.__traceback__))
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: [message masqué]")
    return "".join(lines)


class NoPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _scrubbed_traceback(*record.exc_info)
        # The request object (kept for mail handlers) must not reach any formatter.
        if hasattr(record, "request"):
            record.request = None
        return True
