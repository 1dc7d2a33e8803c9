"""Billing models come with the billing issue (plans and entitlements on dj-stripe)."""
