"""Cursor pagination for every list: ``?cursor=…&limit=…``, a signed cursor in ``next``.

Pages follow the key (a column and the id) rather than an offset, so rows added meanwhile
neither repeat nor go missing. The cursor is signed: one that was changed or made up is
refused with 400 rather than read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from pydantic import BaseModel

from tete.api.problems import Problem

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_SALT = "tete.api.cursor"


class Page(BaseModel, Generic[T]):
    results: list[T]
    #: The cursor of the next page; null on the last page.
    next: str | None


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _decode(cursor: str, kind: str) -> tuple[Any, int]:
    try:
        data = signing.loads(cursor, salt=f"{_SALT}:{kind}")
        value, last_id = data
        if not isinstance(last_id, int):
            raise ValueError
    except (signing.BadSignature, ValueError, TypeError):
        raise Problem(
            400, "The cursor is not one this list gave out; start again without it."
        ) from None
    return value, last_id


def page_size(limit: int | None) -> int:
    """How many rows a page has: ``limit``, or the default."""
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise Problem(400, f"limit must be between 1 and {MAX_LIMIT}.")
    return size


def next_cursor(kind: str, value: Any, last_id: int) -> str:
    """The cursor of the page after the row (``value`` of its key, ``last_id``)."""
    return signing.dumps([_encode(value), last_id], salt=f"{_SALT}:{kind}")


def after_id(cursor: str | None, kind: str) -> int | None:
    """The id a list ordered by id goes on after (None: from the start)."""
    return _decode(cursor, kind)[1] if cursor else None


def paginate(
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    limit: int | None,
    kind: str,
    key: str = "id",
    parse: Callable[[Any], Any] = lambda value: value,
    present: Callable[[Sequence[M]], list[Any]] = list,
) -> dict[str, Any]:
    """One page of ``queryset`` ordered by (``key``, id), and the cursor of the next.

    ``kind`` names the list, so that a cursor of one list is refused by another.
    """
    size = page_size(limit)
    ordered = queryset.order_by(key, "id") if key != "id" else queryset.order_by("id")
    if cursor:
        value, last_id = _decode(cursor, kind)
        if key == "id":
            ordered = ordered.filter(id__gt=last_id)
        else:
            try:
                after = parse(value)
            except (TypeError, ValueError):
                raise Problem(400, "The cursor is not one this list gave out.") from None
            ordered = ordered.filter(
                Q(**{f"{key}__gt": after}) | Q(**{key: after, "id__gt": last_id})
            )
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor_out = None
    if more and rows:
        last = rows[-1]
        cursor_out = next_cursor(kind, getattr(last, key) if key != "id" else last.pk, last.pk)
    return {"results": present(rows), "next": cursor_out}


def parse_datetime(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))
