"""/api/v1/billing/ routes."""

from django.urls import path

from billing.api import views

urlpatterns = [
    path("billing/", views.BillingOverviewApi.as_view(), name="api-billing-overview"),
    path("billing/plans/", views.BillingPlansApi.as_view(), name="api-billing-plans"),
    path("billing/checkout/", views.BillingCheckoutApi.as_view(), name="api-billing-checkout"),
    path("billing/portal/", views.BillingPortalApi.as_view(), name="api-billing-portal"),
]
