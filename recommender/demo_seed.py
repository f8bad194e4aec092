"""Recommender data for the demo bank: consents and holdings of the seeded customers.

Run after the profile store's seed: ``python -m recommender.demo_seed``. Idempotent: a
customer who already has a consent record is left alone.
"""

from __future__ import annotations

import argparse
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.models import Account, Customer
from database.engine import get_engine, session_factory
from database.settings import DatabaseSettings
from recommender.models import Consent, Holding

ACCOUNT_PRODUCTS = {
    "current": "cur_everyday",
    "savings": "sav_easy_access",
    "isa": "isa_cash_easy",
    "credit_card": "cc_cashback",
}
EXTRA_HOLDINGS: dict[str, list[tuple[str, Decimal | None]]] = {
    "cus_002": [("fund_balanced", Decimal("12000.00")), ("ins_life", None)],
    "cus_004": [("ftd_1y", Decimal("10000.00")), ("ins_home_contents", None)],
    "cus_005": [("ins_income", None)],
}
NO_PROFILING = {"cus_007"}  # the demo customer who said no to profiling
MARKETING = {"cus_001", "cus_002", "cus_004"}


def seed_recommendations(sessions: sessionmaker[Session]) -> int:
    """Give every seeded customer consents and holdings; returns how many were set up."""
    done = 0
    with sessions.begin() as session:
        for customer in session.scalars(select(Customer).order_by(Customer.id)):
            if session.scalars(select(Consent).where(Consent.customer_id == customer.id)).first():
                continue
            session.add(Consent(customer_id=customer.id, purpose="profiling",
                                granted=customer.id not in NO_PROFILING, channel="app"))
            session.add(Consent(customer_id=customer.id, purpose="marketing",
                                granted=customer.id in MARKETING, channel="app"))
            for account in session.scalars(select(Account).where(Account.customer_id == customer.id)):
                product = ACCOUNT_PRODUCTS.get(str(account.kind))
                if product:
                    session.add(Holding(customer_id=customer.id, product_id=product))
            for product, balance in EXTRA_HOLDINGS.get(customer.id, []):
                session.add(Holding(customer_id=customer.id, product_id=product, balance=balance))
            done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    """Command line: seed the recommender's demo data into ``DATABASE_URL``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    sessions = session_factory(get_engine(DatabaseSettings().database_url))
    count = seed_recommendations(sessions)
    print(f"recommender demo data: {count} customer(s) set up")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
