"""The API's JSON parser: DRF's, refusing a body nested deeper than any of ours.

Python's JSON decoder recurses once per level; ten thousand nested arrays
exhaust the interpreter's stack and the RecursionError became a server error.
No body of this API goes deeper than a handful of levels (a report's rows),
so the nesting is measured before decoding, without recursion, and a body
beyond ``MAX_DEPTH`` is a 400.
"""

import codecs
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_DEPTH = 100

# A JSON string, escapes included: brackets inside one do not nest.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text, limit=MAX_DEPTH):
    """How deep the arrays and objects of the JSON ``text`` nest (stops counting past
    ``limit``). Unbalanced text is counted as far as it goes; decoding then refuses it."""
    deepest = depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """``JSONParser`` that answers 400 to a body nested more than ``MAX_DEPTH`` levels."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)  # a text charset only, as DRF checks
        raw = stream.read() if stream is not None else b""
        try:
            text = codecs.decode(raw, encoding)
        except (LookupError, UnicodeError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if nesting_depth(text, self.max_depth) > self.max_depth:
            raise ParseError(
                _("JSON parse error - the body is nested more than %(depth)s levels deep.")
                % {"depth": self.max_depth}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(
                _("JSON parse error - the body is nested more than %(depth)s levels deep.")
                % {"depth": self.max_depth}
            ) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
