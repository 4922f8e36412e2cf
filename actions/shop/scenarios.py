"""The hand-written demo scenarios that designers and tests rely on (docs/demo-data.md).

Plain data, dated in days before the seed day. Orders ship to the customer's account address;
delivery is 4 days after placing.
"""

# (customer id, name, email, phone, account address, store credit)
CUSTOMERS = (
    ("C1001", "Maya Chen", "maya.chen@example.com", "+1 555-201-0101",
     "12 Harbor Rd, Portland, OR 97201", "0.00"),
    ("C1002", "Omar Haddad", "omar.haddad@example.com", "+1 555-202-0102",
     "48 Elm St, Austin, TX 78701", "0.00"),
    ("C1003", "Dana Whitfield", "dana@example.com", "+44 20 7946 0103",
     "7 Mill Lane, Denver, CO 80202", "25.00"),
    ("C1004", "Lars Eriksen", "lars.eriksen@example.com", "+1 555-204-0104",
     "3 Station Ave, Madison, WI 53703", "0.00"),
    ("C1005", "Priya Nair", "priya.nair@example.com", "+1 555-205-0105",
     "90 Orchard Way, Portland, OR 97201", "45.00"),
)  # fmt: skip

# (order id, customer id, status, days since placed, items as (sku, quantity))
ORDERS = (
    ("NW-10001", "C1001", "shipped", 2, (("NW-MUG-01", 2), ("NW-TEA-02", 1))),
    ("NW-10002", "C1001", "placed", 0, (("NW-LMP-03", 1),)),
    ("NW-10003", "C1002", "delivered", 9, (("NW-BLK-04", 1),)),  # delivered 5 days ago
    ("NW-10004", "C1002", "delivered", 64, (("NW-PAN-09", 1),)),  # delivered 60 days ago
    ("NW-10007", "C1003", "returned", 30, (("NW-KNF-05", 1),)),
    ("NW-10005", "C1004", "delivered", 7, (("NW-CHR-06", 1),)),  # 240.00: above review
    ("NW-10006", "C1004", "cancelled", 15, (("NW-RUG-10", 1),)),
    ("NW-10008", "C1005", "returned", 40, (("NW-BLK-04", 1),)),
    ("NW-10009", "C1005", "delivered", 24, (("NW-CUP-07", 1),)),
    ("NW-10000", "C1003", "placed", 1, (("NW-RUG-10", 1),)),  # 179.00 unshipped: above review
)

# (order id, status, reason, requested days ago, refund method, last update days ago)
RETURNS = (
    ("NW-10007", "received", "blade arrived chipped", 24, "original_payment", 12),
    ("NW-10008", "refunded", "wrong colour", 33, "store_credit", 28),
    ("NW-10009", "rejected", "changed my mind after use", 18, "original_payment", 15),
)
