"""Pagination: a cursor for the big lists, page numbers for the small ones."""

import re
from base64 import b64decode
from urllib import parse

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import Cursor, CursorPagination, PageNumberPagination

from tracker.forms import parse_id

# What ``CursorPagination.encode_cursor`` writes: standard base64 of "o=..&r=1&p=..".
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


class PagePagination(PageNumberPagination):
    """Small lists (units, plans, commitments, periods): ``?page=2``, 50 a page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InvalidCursor(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_cursor"
    default_detail = _(
        "The parameter “cursor” is not a cursor of this list: follow the “next” and "
        "“previous” links of an answer, or leave it out for the first page."
    )


class IdCursorPagination(CursorPagination):
    """Big lists (programs, progress reports, officials): a stable cursor on the id.

    A cursor stays correct while rows are added, and costs the same on page 1
    and page 1000 (no OFFSET). A cursor that is not one of ours (not base64,
    or a position that is no id: "abc", "NaN", "1e400", twenty digits) is a
    400 naming the parameter, before any query.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"

    def decode_cursor(self, request):
        """DRF's cursor, read strictly: only what ``encode_cursor`` writes is accepted."""
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        if not _BASE64.fullmatch(encoded):
            raise InvalidCursor
        try:
            text = b64decode(encoded, validate=True).decode("ascii")
            tokens = parse.parse_qs(text, keep_blank_values=True, strict_parsing=True)
        except (ValueError, UnicodeError):
            raise InvalidCursor from None
        if set(tokens) - {"o", "r", "p"} or any(len(values) != 1 for values in tokens.values()):
            raise InvalidCursor
        offset = tokens.get("o", ["0"])[0]
        reverse = tokens.get("r", ["0"])[0]
        position = tokens.get("p", [None])[0]
        if not (offset.isascii() and offset.isdigit() and int(offset) <= self.offset_cutoff):
            raise InvalidCursor
        if reverse not in ("0", "1"):
            raise InvalidCursor
        if position is not None and parse_id(position) is None:
            raise InvalidCursor
        return Cursor(offset=int(offset), reverse=reverse == "1", position=position)
