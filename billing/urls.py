"""Web routes for pricing and the account's billing pages."""

from django.urls import path

from billing import views

urlpatterns = [
    path("pricing/", views.pricing_view, name="billing-pricing"),
    path("billing/", views.billing_account_view, name="billing-account"),
    path("billing/checkout/", views.checkout_view, name="billing-checkout"),
    path("billing/success/", views.checkout_success_view, name="billing-success"),
    path("billing/cancel/", views.checkout_cancel_view, name="billing-cancel"),
    path("billing/portal/", views.portal_view, name="billing-portal"),
]
