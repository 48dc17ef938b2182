"""Pagination: a cursor for the big lists, page numbers for the small ones."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """Small lists (units, plans, commitments, periods): ``?page=2``, 50 a page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdCursorPagination(CursorPagination):
    """Big lists (programs, progress reports, officials): a stable cursor on the id.

    A cursor stays correct while rows are added, and costs the same on page 1
    and page 1000 (no OFFSET).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"
