"""Command line for designers and agents: ``python -m actions.shop seed|show|order|cancel``."""

from __future__ import annotations

import json
import sys

from .models import ShopError
from .store import Shop

USAGE = """usage:
  python -m actions.shop seed              recreate the demo data dated from today
  python -m actions.shop show C1001        a customer with their orders and returns
  python -m actions.shop order NW-10007    one order, its return or cancellation
  python -m actions.shop cancel NW-10002   cancel an unshipped order and refund it (once)
(database: $NW_SHOP_DB or var/shop.db)"""


def _order_json(shop: Shop, order_id: str) -> dict:
    order = shop.order(order_id)
    ret = shop.return_for(order.id)
    cancelled = shop.cancellation_for(order.id)
    return {
        **order.to_json(),
        "return": ret.to_json() if ret else None,
        "cancellation": cancelled.to_json() if cancelled else None,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shop = Shop()
    try:
        if args == ["seed"]:
            shop.reseed()
            print(f"seeded {shop.path}")
        elif len(args) == 2 and args[0] == "show":
            customer = shop.customer(args[1])
            orders = [_order_json(shop, o.id) for o in shop.orders_for(customer.id)]
            print(json.dumps({**customer.to_json(), "orders": orders}, indent=2))
        elif len(args) == 2 and args[0] == "order":
            print(json.dumps(_order_json(shop, args[1]), indent=2))
        elif len(args) == 2 and args[0] == "cancel":
            # How an agent carries out a cancellation they approved; a second run refunds nothing.
            cancellation, now = shop.cancel_order(args[1])
            print(json.dumps({**cancellation.to_json(), "cancelled_now": now}, indent=2))
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except ShopError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
