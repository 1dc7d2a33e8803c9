"""/api/v1/billing/: the plan catalogue, the user's plan and usage, a Checkout URL, a portal URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.entitlements import get_entitlements
from billing.selectors import plan_offers, plan_state, usage_for_user
from billing.services import checkout_session_create, portal_session_create
from projects.api.fields import StrictCharField

UrlOutput = inline_serializer("BillingUrl", {"url": serializers.URLField()})
LimitsOutput = inline_serializer(
    "BillingLimits",
    {
        "max_photos_per_project": serializers.IntegerField(),
        "max_upload_bytes": serializers.IntegerField(),
        "max_resolution": serializers.CharField(),
        "renders_per_month": serializers.IntegerField(),
        "watermark": serializers.BooleanField(),
        "styles": serializers.ListField(child=serializers.CharField()),
        "ai_features": serializers.BooleanField(),
        "ai_drafts_per_month": serializers.IntegerField(),
        "languages_per_video": serializers.IntegerField(),
    },
)
PlansOutput = inline_serializer(
    "BillingPlans",
    {
        "billing_enabled": serializers.BooleanField(),
        "plans": inline_serializer(
            "BillingPlan",
            {
                "plan": serializers.CharField(),
                "name": serializers.CharField(),
                "description": serializers.CharField(),
                "limits": LimitsOutput,
                "prices": inline_serializer(
                    "BillingPrice",
                    {
                        "id": serializers.CharField(),
                        "interval": serializers.ChoiceField(choices=["month", "year"]),
                        "amount": serializers.IntegerField(help_text="in cents"),
                        "currency": serializers.CharField(),
                    },
                    many=True,
                ),
            },
            many=True,
        ),
    },
)
OverviewOutput = inline_serializer(
    "BillingOverview",
    {
        "billing_enabled": serializers.BooleanField(),
        "plan": serializers.CharField(),
        "source": serializers.ChoiceField(choices=["subscription", "complimentary", "default"]),
        "status": serializers.CharField(allow_null=True),
        "period_end": serializers.DateTimeField(allow_null=True),
        "cancel_at_period_end": serializers.BooleanField(),
        "limits": LimitsOutput,
        "usage": serializers.DictField(
            child=inline_serializer(
                "BillingUsage",
                {
                    "used": serializers.IntegerField(allow_null=True),
                    "allowed": serializers.CharField(),
                },
            )
        ),
    },
)


def _limits(limits: Any) -> dict[str, Any]:
    return {
        "max_photos_per_project": limits.max_photos_per_project,
        "max_upload_bytes": limits.max_upload_bytes,
        "max_resolution": limits.max_resolution,
        "renders_per_month": limits.renders_per_month,
        "watermark": limits.watermark,
        "styles": list(limits.styles),
        "ai_features": limits.ai_features,
        "ai_drafts_per_month": limits.ai_drafts_per_month,
        "languages_per_video": limits.languages_per_video,
    }


class BillingPlansApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="billing_plans", responses={200: PlansOutput})
    def get(self, request: Request) -> Response:
        plans = [
            {
                "plan": offer.spec.key,
                "name": offer.spec.name,
                "description": offer.spec.tagline,
                "limits": _limits(offer.spec.entitlements),
                "prices": [
                    {
                        "id": price.id,
                        "interval": interval,
                        "amount": int(price.stripe_data.get("unit_amount") or 0),
                        "currency": str(price.currency),
                    }
                    for interval, price in offer.prices.items()
                ],
            }
            for offer in plan_offers()
        ]
        return Response({"billing_enabled": settings.BILLING_ENABLED, "plans": plans})


class BillingOverviewApi(APIView):
    @extend_schema(operation_id="billing_overview", responses={200: OverviewOutput})
    def get(self, request: Request) -> Response:
        state = plan_state(user=request.user)
        limits = get_entitlements(user=request.user)
        usage = usage_for_user(user=request.user, limits=limits)
        return Response(
            {
                "billing_enabled": settings.BILLING_ENABLED,
                "plan": limits.plan,
                "source": state.source,
                "status": state.status or None,
                "period_end": state.period_end,
                "cancel_at_period_end": state.cancel_at_period_end,
                "limits": _limits(limits),
                "usage": {
                    line.label: {"used": line.used, "allowed": line.allowed} for line in usage
                },
            }
        )


class BillingCheckoutApi(APIView):
    class InputSerializer(serializers.Serializer[dict[str, Any]]):
        class Meta:
            ref_name = "BillingCheckout"  # unique in the OpenAPI schema

        price_id = StrictCharField(max_length=255)

    @extend_schema(
        operation_id="billing_checkout", request=InputSerializer, responses={201: UrlOutput}
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        url = checkout_session_create(
            user=request.user, price_id=data.validated_data["price_id"], site_url=settings.SITE_URL
        )
        return Response({"url": url}, status=201)


class BillingPortalApi(APIView):
    @extend_schema(operation_id="billing_portal", request=None, responses={201: UrlOutput})
    def post(self, request: Request) -> Response:
        return_url = settings.SITE_URL.rstrip("/") + "/billing/"
        return Response(
            {"url": portal_session_create(user=request.user, return_url=return_url)}, status=201
        )
