"""API views: parse input, call one service or selector, render output."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.services import user_update_preferences
from projects.api.fields import StrictCharField, StrictChoiceField


class MeApi(APIView):
    """The signed-in user's own profile: read it, or change language and time zone."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "User"  # unique in the OpenAPI schema

        id = serializers.UUIDField(source="public_id")
        email = serializers.EmailField()
        language = serializers.ChoiceField(choices=settings.LANGUAGES)
        timezone = serializers.CharField()

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "UserUpdate"  # unique in the OpenAPI schema

        language = StrictChoiceField(choices=settings.LANGUAGES, required=False)
        timezone = StrictCharField(max_length=64, required=False)

        def validate_timezone(self, value: str) -> str:
            if value not in zoneinfo.available_timezones():
                raise serializers.ValidationError(
                    _("%(value)r is not a known time zone.") % {"value": value}
                )
            return value

    @extend_schema(operation_id="me_retrieve", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user).data)

    @extend_schema(operation_id="me_update", request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assert isinstance(request.user, User)  # noqa: S101 - IsAuthenticated guarantees it
        user = user_update_preferences(user=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(user).data)
