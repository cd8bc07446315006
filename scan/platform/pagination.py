"""One page of a long list, with Flask-SQLAlchemy's pagination."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select
from sqlalchemy.orm import Session


def paginate(session: Session, query: Select, page: int, per_page: int) -> Pagination:
    """Return one page of a select; a page past the end shows the last page."""
    found = _page(session, query, max(page, 1), per_page)
    last = max(found.pages, 1)
    return _page(session, query, last, per_page) if found.page > last else found


def _page(session: Session, query: Select, page: int, per_page: int) -> Pagination:
    return SelectPagination(
        select=query,
        session=session,
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
    )
