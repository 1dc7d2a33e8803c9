"""A small stateful Stripe API on loopback, for exactly the endpoints PhotoMemory calls.

The official ``stripe`` client talks to it over HTTP (``stripe.api_base``), so the code under test
is the production path: form-encoded requests, idempotency keys, API errors, object shapes of the
pinned API version. It also plays Stripe's side of the journey — a customer paying on the hosted
Checkout page, cancelling in the portal, a renewal that fails, the period ending — and sends the
resulting events, signed with the endpoint's secret, to whoever ``deliver`` points at.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

Obj = dict[str, Any]
ACCOUNT_ID = "acct_fakephotomemory"
MONTH = 30 * 24 * 3600
YEAR = 365 * 24 * 3600


def sign_payload(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header value, as Stripe computes it (``t=…,v1=HMAC-SHA256``)."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def decode_form(pairs: list[tuple[str, str]]) -> Obj:
    """``a[b][0][c]=v`` → ``{"a": {"b": [{"c": "v"}]}}`` (Stripe's form encoding)."""
    root: Obj = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class StripeError(Exception):
    def __init__(self, status: int, message: str, *, code: str = "", param: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param = status, message, code, param


class FakeStripe:
    """State and behaviour. ``url`` is the API base to give ``stripe.api_base``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.objects: dict[str, dict[str, Obj]] = {}
        self.requests: list[tuple[str, str, Obj]] = []
        self.idempotent: dict[str, tuple[int, Obj]] = {}
        self.events: list[Obj] = []
        self.outbox: list[tuple[str, str, str]] = []
        # Live mode (a browser journey): events from API calls go out by themselves after the
        # response. Tests leave it off and call flush(), so a delivery never runs in the middle
        # of the request that caused it.
        self.auto_flush = False
        self.now_offset = 0
        self._ids = itertools.count(1)
        # Tests replace this to hand signed events to Django's test client; the default posts
        # them to the registered endpoint's URL, as Stripe does.
        self.deliver: Callable[[str, str, str], Any] = self._post_event
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeStripe:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.objects.clear()
            self.requests.clear()
            self.idempotent.clear()
            self.events.clear()
            self.outbox.clear()
            self.auto_flush = False
            self.now_offset = 0
            self.deliver = self._post_event

    def now(self) -> int:
        return int(time.time()) + self.now_offset

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}{secrets.token_hex(3)}"

    def table(self, kind: str) -> dict[str, Obj]:
        return self.objects.setdefault(kind, {})

    def get(self, kind: str, oid: str) -> Obj:
        try:
            return self.table(kind)[oid]
        except KeyError:
            raise StripeError(
                404, f"No such {kind[:-1]}: '{oid}'", code="resource_missing", param="id"
            ) from None

    # --- HTTP dispatch ------------------------------------------------------------------------
    def handle(self, method: str, path: str, params: Obj, idem: str | None) -> tuple[int, Obj]:
        with self.lock:
            if idem and method == "POST" and idem in self.idempotent:
                return self.idempotent[idem]
            self.requests.append((method, path, params))
            try:
                result = (200, self.route(method, path, params))
            except StripeError as exc:
                kind = "invalid_request_error"
                err = {"type": kind, "message": exc.message, "code": exc.code, "param": exc.param}
                result = (exc.status, {"error": err})
            if idem and method == "POST":
                self.idempotent[idem] = result
            return result

    def route(self, method: str, path: str, p: Obj) -> Obj:
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        kind, oid = (parts[0], parts[1] if len(parts) > 1 else None)
        if kind == "checkout":
            kind, oid = "checkout_sessions", parts[2] if len(parts) > 2 else None
        if kind == "billing_portal":
            return self.portal_session_create(p)
        if kind == "account":
            return self.account()
        if kind == "products" and len(parts) > 2:  # /v1/products/{id}/features
            self.get("products", parts[1])
            return self._list([], path)
        handler = getattr(self, f"{kind}_{method.lower()}", None)
        if handler is None:
            raise StripeError(404, f"Unrecognized request URL ({method}: {path})")
        return handler(oid, p)  # type: ignore[no-any-return]

    # --- resources ----------------------------------------------------------------------------
    def account(self) -> Obj:
        return {
            "id": ACCOUNT_ID,
            "object": "account",
            "type": "standard",
            "country": "DE",
            "default_currency": "eur",
            "email": "billing@photomemory.local",
            "settings": {"dashboard": {"display_name": "PhotoMemory (fake)"}},
            "business_profile": {"name": "PhotoMemory"},
            "metadata": {},
            "created": self.now(),
            "charges_enabled": True,
            "payouts_enabled": True,
            "details_submitted": True,
        }

    def _base(self, kind: str, prefix: str, oid: str | None = None) -> Obj:
        return {
            "id": oid or self.new_id(prefix),
            "object": kind,
            "livemode": False,
            "created": self.now(),
            "metadata": {},
        }

    def _list(self, items: list[Obj], url: str) -> Obj:
        return {"object": "list", "data": items, "has_more": False, "url": url}

    def products_post(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            product = self.get("products", oid)
        else:
            if p.get("id") in self.table("products"):
                raise StripeError(400, "Product already exists.", code="resource_already_exists")
            product = self._base("product", "prod", p.get("id"))
            product.update(active=True, description=None, images=[], type="service", url=None)
            self.table("products")[product["id"]] = product
        for field in ("name", "description"):
            if field in p:
                product[field] = p[field]
        if "active" in p:
            product["active"] = p["active"] == "true"
        product["metadata"] = {**product["metadata"], **p.get("metadata", {})}
        product["updated"] = self.now()
        return product

    def products_get(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            return self.get("products", oid)
        return self._list(list(self.table("products").values()), "/v1/products")

    def prices_post(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            price = self.get("prices", oid)
            if "active" in p:
                price["active"] = p["active"] == "true"
            if "lookup_key" in p:
                price["lookup_key"] = p["lookup_key"]
            price["metadata"] = {**price["metadata"], **p.get("metadata", {})}
            return price
        self.get("products", p["product"])
        if p.get("lookup_key") and p.get("transfer_lookup_key") == "true":
            for other in self.table("prices").values():
                if other["lookup_key"] == p["lookup_key"]:
                    other["lookup_key"] = None
        elif p.get("lookup_key") and any(
            o["lookup_key"] == p["lookup_key"] for o in self.table("prices").values()
        ):
            raise StripeError(400, "A price with this lookup_key already exists.")
        recurring = p.get("recurring", {})
        price = self._base("price", "price")
        price.update(
            active=True,
            billing_scheme="per_unit",
            currency=p["currency"],
            lookup_key=p.get("lookup_key"),
            nickname=p.get("nickname"),
            product=p["product"],
            recurring={
                "interval": recurring.get("interval", "month"),
                "interval_count": 1,
                "usage_type": "licensed",
                "aggregate_usage": None,
                "trial_period_days": None,
            },
            tax_behavior="unspecified",
            tiers_mode=None,
            transform_quantity=None,
            type="recurring",
            unit_amount=int(p["unit_amount"]),
            unit_amount_decimal=str(p["unit_amount"]),
        )
        price["metadata"] = p.get("metadata", {})
        self.table("prices")[price["id"]] = price
        return price

    def prices_get(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            return self._expand(self.get("prices", oid), p)
        items = list(self.table("prices").values())
        if "lookup_keys" in p:
            items = [i for i in items if i["lookup_key"] in p["lookup_keys"]]
        if "active" in p:
            items = [i for i in items if i["active"] == (p["active"] == "true")]
        if "product" in p:
            items = [i for i in items if i["product"] == p["product"]]
        return self._list([self._expand(i, p) for i in items], "/v1/prices")

    def _expand(self, obj: Obj, p: Obj) -> Obj:
        out = dict(obj)
        for path in p.get("expand", []):
            field = path.removeprefix("data.")
            if field == "product" and isinstance(out.get("product"), str):
                out["product"] = self.get("products", out["product"])
        return out

    def customers_post(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            customer = self.get("customers", oid)
        else:
            customer = self._base("customer", "cus")
            customer.update(
                address=None,
                balance=0,
                currency=None,
                default_source=None,
                delinquent=False,
                description=None,
                discount=None,
                invoice_prefix="FAKE",
                invoice_settings={"default_payment_method": None, "custom_fields": None},
                name=None,
                phone=None,
                preferred_locales=[],
                shipping=None,
                tax_exempt="none",
                sources=self._list([], "/v1/customers/x/sources"),
            )
            self.table("customers")[customer["id"]] = customer
        for field in ("email", "name", "description"):
            if field in p:
                customer[field] = p[field]
        customer["metadata"] = {**customer["metadata"], **p.get("metadata", {})}
        return customer

    def customers_get(self, oid: str | None, p: Obj) -> Obj:
        if not oid:
            return self._list(list(self.table("customers").values()), "/v1/customers")
        return self.get("customers", oid)

    def checkout_sessions_post(self, oid: str | None, p: Obj) -> Obj:
        items = p.get("line_items", [])
        if p.get("mode") != "subscription" or len(items) != 1:
            raise StripeError(400, "Only one subscription price per session here.")
        price = self.get("prices", items[0]["price"])
        if not price["active"]:
            raise StripeError(400, f"The price specified is inactive: {price['id']}")
        customer = self.get("customers", p["customer"])
        session = self._base("checkout.session", "cs_test")
        session.update(
            mode="subscription",
            status="open",
            payment_status="unpaid",
            customer=customer["id"],
            customer_email=None,
            client_reference_id=p.get("client_reference_id"),
            success_url=p["success_url"],
            cancel_url=p["cancel_url"],
            subscription=None,
            invoice=None,
            payment_intent=None,
            setup_intent=None,
            currency=price["currency"],
            amount_total=price["unit_amount"],
            expires_at=self.now() + 24 * 3600,
            url=f"{self.url}/pay/{{id}}",
            line_items_price=price["id"],
        )
        session["url"] = f"{self.url}/pay/{session['id']}"
        session["metadata"] = p.get("metadata", {})
        self.table("checkout_sessions")[session["id"]] = session
        return session

    def checkout_sessions_get(self, oid: str | None, p: Obj) -> Obj:
        return self.get("checkout_sessions", oid or "")

    def portal_session_create(self, p: Obj) -> Obj:
        customer = self.get("customers", p["customer"])
        session = self._base("billing_portal.session", "bps")
        session.update(customer=customer["id"], return_url=p.get("return_url"))
        session["url"] = f"{self.url}/portal/{session['id']}"
        self.table("portal_sessions")[session["id"]] = session
        return session

    def subscriptions_get(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            return self.get("subscriptions", oid)
        items = list(self.table("subscriptions").values())
        if "customer" in p:
            items = [s for s in items if s["customer"] == p["customer"]]
        if p.get("status", "all") != "all":
            items = [s for s in items if s["status"] == p["status"]]
        return self._list(items, "/v1/subscriptions")

    def subscriptions_post(self, oid: str | None, p: Obj) -> Obj:
        sub = self.get("subscriptions", oid or "")
        if "cancel_at_period_end" in p:
            at_end = p["cancel_at_period_end"] == "true"
            sub["cancel_at_period_end"] = at_end
            sub["cancel_at"] = sub["items"]["data"][0]["current_period_end"] if at_end else None
            sub["canceled_at"] = self.now() if at_end else None
        sub["metadata"] = {**sub["metadata"], **p.get("metadata", {})}
        self.emit("customer.subscription.updated", sub)
        return sub

    def subscriptions_delete(self, oid: str | None, p: Obj) -> Obj:
        sub = self.get("subscriptions", oid or "")
        if sub["status"] == "canceled":
            raise StripeError(404, f"No such subscription: '{oid}'", code="resource_missing")
        self._end(sub)
        return sub

    def invoices_get(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            return self.get("invoices", oid)
        items = list(self.table("invoices").values())
        if "customer" in p:
            items = [i for i in items if i["customer"] == p["customer"]]
        return self._list(sorted(items, key=lambda i: -i["created"]), "/v1/invoices")

    def webhook_endpoints_post(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            endpoint = self.get("webhook_endpoints", oid)
            endpoint.update({k: v for k, v in p.items() if k in ("url", "enabled_events")})
            return endpoint
        endpoint = self._base("webhook_endpoint", "we")
        endpoint.update(
            url=p["url"],
            enabled_events=p.get("enabled_events", ["*"]),
            api_version=p.get("api_version") or None,
            application=None,
            description=None,
            status="enabled",
            secret="whsec_" + secrets.token_hex(16),
        )
        endpoint["metadata"] = p.get("metadata", {})
        self.table("webhook_endpoints")[endpoint["id"]] = endpoint
        return endpoint

    def webhook_endpoints_get(self, oid: str | None, p: Obj) -> Obj:
        if oid:
            return {k: v for k, v in self.get("webhook_endpoints", oid).items() if k != "secret"}
        items = [
            {k: v for k, v in e.items() if k != "secret"}
            for e in self.table("webhook_endpoints").values()
        ]
        return self._list(items, "/v1/webhook_endpoints")

    def events_get(self, oid: str | None, p: Obj) -> Obj:
        for event in self.events:
            if event["id"] == oid:
                return event
        raise StripeError(404, f"No such event: '{oid}'", code="resource_missing")

    # --- Stripe's side of the journey ---------------------------------------------------------
    def checkout_complete(self, session_id: str) -> Obj:
        """The customer pays on the hosted page: a subscription, a paid invoice, events."""
        try:
            return self._checkout_complete(session_id)
        finally:
            self.flush()

    def _checkout_complete(self, session_id: str) -> Obj:
        with self.lock:
            session = self.get("checkout_sessions", session_id)
            if session["status"] != "open":
                return session
            price = self.get("prices", session["line_items_price"])
            sub = self.subscription_create(customer=session["customer"], price=price)
            session.update(status="complete", payment_status="paid", subscription=sub["id"])
            session["invoice"] = sub["latest_invoice"]
            self.emit("customer.subscription.created", sub)
            self.emit("invoice.paid", self.get("invoices", sub["latest_invoice"]))
            self.emit("checkout.session.completed", session)
            return session

    def subscription_create(self, *, customer: str, price: Obj, status: str = "active") -> Obj:
        start = self.now()
        end = start + (YEAR if price["recurring"]["interval"] == "year" else MONTH)
        sub = self._base("subscription", "sub")
        item = self._base("subscription_item", "si")
        item.update(
            price=self.get("prices", price["id"]),
            quantity=1,
            subscription=sub["id"],
            current_period_start=start,
            current_period_end=end,
            discounts=[],
            tax_rates=[],
        )
        sub.update(
            customer=customer,
            status=status,
            cancel_at=None,
            cancel_at_period_end=False,
            canceled_at=None,
            ended_at=None,
            start_date=start,
            billing_cycle_anchor=start,
            collection_method="charge_automatically",
            currency=price["currency"],
            default_payment_method=None,
            default_source=None,
            default_tax_rates=[],
            discounts=[],
            latest_invoice=None,
            items=self._list([item], f"/v1/subscription_items?subscription={sub['id']}"),
            trial_end=None,
            trial_start=None,
        )
        self.table("subscriptions")[sub["id"]] = sub
        sub["latest_invoice"] = self.invoice_create(sub, paid=status == "active")["id"]
        return sub

    def invoice_create(self, sub: Obj, *, paid: bool) -> Obj:
        item = sub["items"]["data"][0]
        invoice = self._base("invoice", "in")
        invoice.update(
            customer=sub["customer"],
            subscription=sub["id"],
            status="paid" if paid else "open",
            paid=paid,
            amount_due=item["price"]["unit_amount"],
            amount_paid=item["price"]["unit_amount"] if paid else 0,
            amount_remaining=0 if paid else item["price"]["unit_amount"],
            currency=item["price"]["currency"],
            number=f"FAKE-{len(self.table('invoices')) + 1:04d}",
            hosted_invoice_url=f"{self.url}/invoice/{{id}}",
            invoice_pdf=None,
            period_start=item["current_period_start"],
            period_end=item["current_period_end"],
            billing_reason="subscription_cycle",
            collection_method="charge_automatically",
            attempt_count=1,
            attempted=True,
            auto_advance=not paid,
            lines=self._list([], "/v1/invoices/x/lines"),
            total=item["price"]["unit_amount"],
            subtotal=item["price"]["unit_amount"],
        )
        invoice["hosted_invoice_url"] = f"{self.url}/invoice/{invoice['id']}"
        self.table("invoices")[invoice["id"]] = invoice
        return invoice

    def renewal_fails(self, sub_id: str) -> Obj:
        """The card is declined at renewal: a new period starts, past_due, an open invoice."""
        try:
            return self._renewal_fails(sub_id)
        finally:
            self.flush()

    def _renewal_fails(self, sub_id: str) -> Obj:
        with self.lock:
            sub = self.get("subscriptions", sub_id)
            item = sub["items"]["data"][0]
            # The renewal is now: the unpaid period starts at this moment.
            length = item["current_period_end"] - item["current_period_start"]
            item["current_period_start"] = self.now()
            item["current_period_end"] = self.now() + length
            sub["status"] = "past_due"
            invoice = self.invoice_create(sub, paid=False)
            sub["latest_invoice"] = invoice["id"]
            self.emit("invoice.payment_failed", invoice)
            self.emit("customer.subscription.updated", sub)
            return sub

    def portal_cancel(self, sub_id: str) -> Obj:
        """The customer cancels in the portal: at period end, as Stripe's portal defaults to."""
        try:
            with self.lock:
                return self.subscriptions_post(sub_id, {"cancel_at_period_end": "true"})
        finally:
            self.flush()

    def portal_switch(self, sub_id: str, price_id: str) -> Obj:
        """The customer switches plan in the portal: the item is replaced by a new one."""
        try:
            with self.lock:
                sub = self.get("subscriptions", sub_id)
                old = sub["items"]["data"][0]
                item = self._base("subscription_item", "si")
                item.update({k: v for k, v in old.items() if k not in ("id", "created", "price")})
                item["price"] = self.get("prices", price_id)
                sub["items"]["data"] = [item]
                self.emit("customer.subscription.updated", sub)
                return sub
        finally:
            self.flush()

    def advance_to_period_end(self, sub_id: str) -> Obj:
        """Time passes to the end of the period; a subscription set to cancel ends."""
        try:
            return self._advance_to_period_end(sub_id)
        finally:
            self.flush()

    def _advance_to_period_end(self, sub_id: str) -> Obj:
        with self.lock:
            sub = self.get("subscriptions", sub_id)
            self.now_offset += sub["items"]["data"][0]["current_period_end"] - self.now() + 1
            if sub["cancel_at_period_end"]:
                self._end(sub)
            return sub

    def _end(self, sub: Obj) -> None:
        sub.update(
            status="canceled", ended_at=self.now(), canceled_at=sub["canceled_at"] or self.now()
        )
        self.emit("customer.subscription.deleted", sub)

    # --- events -------------------------------------------------------------------------------
    def emit(self, kind: str, obj: Obj) -> Obj:
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": "2026-08-26.dahlia",
            "created": self.now(),
            "data": {"object": json.loads(json.dumps(obj))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }
        self.events.append(event)
        for endpoint in self.table("webhook_endpoints").values():
            if "*" in endpoint["enabled_events"] or kind in endpoint["enabled_events"]:
                payload = json.dumps(event)
                signature = sign_payload(payload, endpoint["secret"])
                self.outbox.append((endpoint["url"], payload, signature))
        return event

    def flush(self) -> list[Any]:
        """Deliver the events waiting to go out, in order; returns what ``deliver`` returned."""
        with self.lock:
            batch, self.outbox = self.outbox, []
        return [self.deliver(url, payload, signature) for url, payload, signature in batch]

    def _post_event(self, url: str, payload: str, signature: str) -> Any:
        # Delivered after the current request finishes, as Stripe does: a webhook handler that
        # calls back into this API must not find it busy.
        def send() -> None:
            headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
            requests.post(url, data=payload, headers=headers, timeout=30)

        threading.Timer(0.05, send).start()


def _handler(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _params(self) -> Obj:
            query = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            return decode_form(query + parse_qsl(body, keep_blank_values=True))

        def _api(self, method: str) -> None:
            path = urlsplit(self.path).path
            if not path.startswith("/v1/"):
                self._page(method, path)
                if fake.auto_flush:
                    fake.flush()
                return
            if not (self.headers.get("Authorization") or "").startswith("Bearer sk_test_"):
                return self._send(401, {"error": {"type": "invalid_request_error"}})
            status, body = fake.handle(
                method, path, self._params(), self.headers.get("Idempotency-Key")
            )
            self._send(status, body)
            if fake.auto_flush:
                fake.flush()

        def _send(self, status: int, body: Obj) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_fake")
            self.end_headers()
            self.wfile.write(data)

        def _page(self, method: str, path: str) -> None:
            """Hosted pages for the browser: Checkout and the customer portal."""
            kind, _, oid = path.strip("/").partition("/")
            with fake.lock:
                if kind == "pay":
                    session = fake.get("checkout_sessions", oid)
                    if method == "POST":
                        fake._checkout_complete(oid)
                        return self._redirect(
                            session["success_url"].replace("{CHECKOUT_SESSION_ID}", oid)
                        )
                    price = fake.get("prices", session["line_items_price"])
                    product = fake.get("products", price["product"])
                    amount = f"{price['unit_amount'] / 100:.2f} {price['currency'].upper()}"
                    every = price["recurring"]["interval"]
                    title = f"Subscribe to {product['name']}: {amount} / {every}"
                    return self._html(title, "Pay", session["cancel_url"])
                if kind == "portal":
                    session = fake.get("portal_sessions", oid)
                    subs = [
                        s
                        for s in fake.table("subscriptions").values()
                        if s["customer"] == session["customer"] and s["status"] != "canceled"
                    ]
                    if method == "POST" and subs:
                        fake.subscriptions_post(subs[0]["id"], {"cancel_at_period_end": "true"})
                        return self._redirect(session["return_url"])
                    return self._html(
                        "Manage your subscription", "Cancel plan", session["return_url"]
                    )
            self._send(404, {"error": {"message": "not found"}})

        def _html(self, title: str, button: str, back: str) -> None:
            page = (
                f"<!doctype html><title>{title}</title><h1>{title}</h1>"
                f'<form method="post"><button type="submit">{button}</button></form>'
                f'<p><a href="{back}">Back</a></p>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def _redirect(self, url: str) -> None:
            self.send_response(303)
            self.send_header("Location", url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            self._api("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._api("POST")

        def do_DELETE(self) -> None:  # noqa: N802
            self._api("DELETE")

    return Handler
