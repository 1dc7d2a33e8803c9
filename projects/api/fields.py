"""Input fields that take a JSON value only as the type the schema says.

REST framework's fields coerce: ``123`` becomes the title ``"123"``, ``"yes"`` and ``1`` become
``True``, ``"12"`` becomes 12. A client that sends the wrong type has a bug; it should hear so
(400, ``invalid``) instead of having a surprise stored. Multipart fields are strings by nature,
so upload forms keep REST framework's lenient fields.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": gettext_lazy("Must be text.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """A choice among strings: ``1`` is not the choice ``"1"``."""

    default_error_messages = {"invalid": gettext_lazy("Must be text.")}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Must be true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": gettext_lazy("Must be a whole number.")}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class StrictUUIDField(serializers.UUIDField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
