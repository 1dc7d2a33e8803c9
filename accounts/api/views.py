"""API views: parse input, call one service or selector, render output."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class MeApi(APIView):
    """The signed-in user's own profile."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField(source="public_id")
        email = serializers.EmailField()
        language = serializers.CharField()
        timezone = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user).data)
