"""What every request's input goes through before a view sees it.

Two kinds of junk reached the database and became a 500 there: NUL bytes (PostgreSQL refuses
them in text) and integers beyond 64 bits (neither database stores them). Both are stopped here,
once, instead of in each of the views and forms that read input.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter as WerkzeugIntegerConverter

INT64_MAX = 2**63 - 1


def in_int64(value: int) -> bool:
    """Whether ``value`` fits a database BIGINT."""
    return -INT64_MAX - 1 <= value <= INT64_MAX


class IntegerConverter(WerkzeugIntegerConverter):
    """The ``int`` URL converter, refusing (404) ids no database column can hold.

    It keeps werkzeug's class name: code that tells converters apart by name still sees an int.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=INT64_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """Form and query values without NUL bytes; ``get(..., type=int)`` only within 64 bits."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        items = MultiDict(mapping).items(multi=True)
        super().__init__([(_clean(key), _clean(value)) for key, value in items])

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's signature)
        """As MultiDict.get; an integer out of the 64-bit range counts as not convertible."""
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not in_int64(value):
            return default
        return value


class CleanRequest(Request):
    """The request class of the app: every form and query value passes ``CleanMultiDict``."""

    parameter_storage_class = CleanMultiDict
