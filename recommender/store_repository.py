"""The profile store as a :class:`CustomerRepository` (SQLite or PostgreSQL).

Reads customers, accounts and transactions from the profile store's tables and holdings,
consents, events, features and segments from ``recommender.models``.
It never reads ``equality_monitoring``: protected attributes cannot reach a ranking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import TransactionStatus
from bank.errors import UnknownCustomer
from bank.models import Account, Customer, Transaction
from database.engine import get_engine, session_factory
from database.settings import DatabaseSettings
from recommender.catalogue import Catalogue, load_catalogue
from recommender.derived_features import WINDOW_DAYS, BalanceFact, TransactionFact, derive_features
from recommender.errors import UnknownRecommendation
from recommender.models import (
    Consent,
    CustomerFeatures,
    CustomerSegment,
    EventKind,
    Holding,
    HoldingStatus,
    RecommendationEvent,
)
from recommender.profile import (
    ACCOUNT_KIND_CATEGORY,
    CustomerProfile,
    DerivedFeatures,
    profile_from_record,
)
from recommender.repository import CONSENT_PURPOSES, PROFILING, interactions_of
from recommender.results import CustomerFeedback, ShownItem
from recommender.segments import Segment


class StoreRepository:
    """Customer data in the profile store.

    Args:
        sessions: A ``sessionmaker`` on a database migrated to ``0003_recommendations``.
        catalogue: The catalogue (to know the category of each held product).
        clock: Returns "now" (UTC); tests may pin it.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        catalogue: Catalogue | None = None,
        clock: Any = None,
    ) -> None:
        self._sessions = sessions
        self.catalogue = catalogue if catalogue is not None else load_catalogue()
        self._now = clock or (lambda: datetime.now(UTC))

    @classmethod
    def from_settings(
        cls, settings: DatabaseSettings | None = None, catalogue: Catalogue | None = None
    ) -> StoreRepository:
        """A repository on ``DATABASE_URL`` (the profile store's setting)."""
        settings = settings or DatabaseSettings()
        return cls(session_factory(get_engine(settings.database_url)), catalogue)

    # ------------------------------------------------------------------ reads
    def exists(self, customer_id: str) -> bool:
        with self._sessions() as session:
            return session.get(Customer, customer_id) is not None

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        with self._sessions() as session:
            return _latest_consent(session, customer_id, purpose)

    def consents(self, customer_id: str) -> dict[str, bool]:
        """The consent in force for each purpose (False when never asked)."""
        with self._sessions() as session:
            return {p: _latest_consent(session, customer_id, p) for p in CONSENT_PURPOSES}

    def profile(self, customer_id: str) -> CustomerProfile:
        with self._sessions() as session:
            return self._profile(session, customer_id)

    def _profile(self, session: Session, customer_id: str) -> CustomerProfile:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UnknownCustomer()
        accounts = list(session.scalars(select(Account).where(Account.customer_id == customer_id)))
        since = self._now() - timedelta(days=WINDOW_DAYS)
        transactions = session.execute(
            select(Transaction.amount, Transaction.category)
            .where(Transaction.account_id.in_([a.id for a in accounts]))
            .where(Transaction.booked_at >= since)
            .where(Transaction.status == TransactionStatus.BOOKED)  # only money that has moved
        ).all()
        holdings = list(
            session.scalars(
                select(Holding).where(
                    Holding.customer_id == customer_id, Holding.status == HoldingStatus.ACTIVE
                )
            )
        )
        held = [h for h in holdings if h.product_id in self.catalogue]
        balances = [
            BalanceFact(ACCOUNT_KIND_CATEGORY.get(str(a.kind), "other"), a.balance) for a in accounts
        ] + [
            BalanceFact(self.catalogue.get(h.product_id).category, h.balance)
            for h in held
            if h.balance is not None
            and self.catalogue.get(h.product_id).category
            not in ("current_account", "savings", "isa", "credit_card")  # already in accounts
        ]
        features = derive_features(
            [TransactionFact(amount, str(category)) for amount, category in transactions],
            balances,
            float(customer.annual_income),
        )
        categories = {ACCOUNT_KIND_CATEGORY[str(a.kind)] for a in accounts}
        categories |= {self.catalogue.get(h.product_id).category for h in held}
        record = {
            "customer_id": customer.id,
            "age": self._now().year - customer.birth_year,
            "annual_income": float(customer.annual_income),
            "country": customer.country_of_residence,
            "credit_band": str(customer.credit_band),
            "employment_status": str(customer.employment_status),
            "features": features,
            "holdings": {h.product_id for h in held},
            "held_categories": categories,
        }
        return profile_from_record(record)

    def feedback(self, customer_id: str) -> CustomerFeedback:
        with self._sessions() as session:
            return _feedback(session, customer_id)

    def saved_segment(self, customer_id: str) -> Segment | None:
        with self._sessions() as session:
            row = session.get(CustomerSegment, customer_id)
            if row is None:
                return None
            return Segment(row.segment_id, row.name, row.description, row.model_version)

    def saved_features(self, customer_id: str) -> DerivedFeatures | None:
        """The features last stored on the profile."""
        with self._sessions() as session:
            row = session.get(CustomerFeatures, customer_id)
            return _features_of(row) if row else None

    def indexable(self) -> Iterator[tuple[CustomerProfile, dict[str, int]]]:
        with self._sessions() as session:
            ids = list(session.scalars(select(Customer.id).order_by(Customer.id)))
            for customer_id in ids:
                if _latest_consent(session, customer_id, PROFILING):
                    profile = self._profile(session, customer_id)
                    yield profile, interactions_of(profile, _feedback(session, customer_id))

    # ------------------------------------------------------------------ writes
    def set_consent(
        self, customer_id: str, purpose: str, granted: bool, channel: str = "app"
    ) -> None:
        """Record a consent answer (history is kept; the latest is in force).

        Raises:
            UnknownCustomer: No such customer.
        """
        with self._sessions.begin() as session:
            if session.get(Customer, customer_id) is None:
                raise UnknownCustomer()
            session.add(
                Consent(
                    customer_id=customer_id,
                    purpose=purpose,
                    granted=granted,
                    channel=channel,
                    recorded_at=self._now(),
                )
            )

    def add_holding(
        self, customer_id: str, product_id: str, balance: Decimal | None = None
    ) -> None:
        """Record that the customer now holds a catalogue product."""
        self.catalogue.get(product_id)
        with self._sessions.begin() as session:
            if session.get(Customer, customer_id) is None:
                raise UnknownCustomer()
            session.add(
                Holding(
                    customer_id=customer_id,
                    product_id=product_id,
                    balance=balance,
                    opened_at=self._now(),
                )
            )

    def log_shown(self, customer_id: str, items: Sequence[ShownItem]) -> None:
        now = self._now()
        with self._sessions.begin() as session:
            session.add_all(
                RecommendationEvent(
                    rec_id=i.rec_id,
                    customer_id=customer_id,
                    product_id=i.product_id,
                    event=EventKind.SHOWN,
                    rank=i.rank,
                    score=i.score,
                    goal_type=i.goal_type,
                    personalised=i.personalised,
                    created_at=now,
                )
                for i in items
            )

    def log_outcome(self, customer_id: str, rec_id: str, outcome: str) -> str:
        with self._sessions.begin() as session:
            shown = session.scalars(
                select(RecommendationEvent).where(
                    RecommendationEvent.rec_id == rec_id,
                    RecommendationEvent.customer_id == customer_id,
                    RecommendationEvent.event == EventKind.SHOWN,
                )
            ).first()
            if shown is None:
                raise UnknownRecommendation()
            session.add(
                RecommendationEvent(
                    rec_id=rec_id,
                    customer_id=customer_id,
                    product_id=shown.product_id,
                    event=EventKind(outcome),
                    goal_type=shown.goal_type,
                    personalised=shown.personalised,
                    created_at=self._now(),
                )
            )
            return shown.product_id

    def save_profile_state(
        self, customer_id: str, features: DerivedFeatures, segment: Segment
    ) -> bool:
        now = self._now()
        with self._sessions.begin() as session:
            row = session.get(CustomerFeatures, customer_id)
            changed = row is None or _features_of(row) != _rounded(features)
            if row is None:
                row = CustomerFeatures(customer_id=customer_id)
                session.add(row)
            if changed:
                row.monthly_income = _money(features.monthly_income)
                row.monthly_spend = _money(features.monthly_spend)
                row.savings_rate = features.savings_rate
                row.spending_by_category = dict(features.spending_by_category)
                row.balance_current = _money(features.balance_current)
                row.balance_savings = _money(features.balance_savings)
                row.balance_investments = _money(features.balance_investments)
                row.credit_debt = _money(features.credit_debt)
                row.computed_at = now
            seg = session.get(CustomerSegment, customer_id)
            if seg is None or (seg.segment_id, seg.model_version) != (
                segment.id,
                segment.model_version,
            ):
                changed = True
                if seg is None:
                    seg = CustomerSegment(customer_id=customer_id)
                    session.add(seg)
                seg.segment_id = segment.id
                seg.name = segment.name
                seg.description = segment.description
                seg.model_version = segment.model_version
                seg.assigned_at = now
            return changed


def _latest_consent(session: Session, customer_id: str, purpose: str) -> bool:
    granted = session.scalars(
        select(Consent.granted)
        .where(Consent.customer_id == customer_id, Consent.purpose == purpose)
        .order_by(Consent.recorded_at.desc(), Consent.id.desc())
        .limit(1)
    ).first()
    return bool(granted)


def _feedback(session: Session, customer_id: str) -> CustomerFeedback:
    rows = session.execute(
        select(RecommendationEvent.product_id, RecommendationEvent.event)
        .where(RecommendationEvent.customer_id == customer_id)
        .order_by(RecommendationEvent.created_at, RecommendationEvent.id)
    ).all()
    latest: dict[str, str] = {}
    shown: Counter[str] = Counter()
    for product_id, event in rows:
        if event == EventKind.SHOWN:
            shown[product_id] += 1
        elif event in (EventKind.ACCEPTED, EventKind.DECLINED):
            latest[product_id] = str(event)
    return CustomerFeedback(
        accepted=frozenset(p for p, e in latest.items() if e == EventKind.ACCEPTED),
        declined=frozenset(p for p, e in latest.items() if e == EventKind.DECLINED),
        shown_counts=dict(shown),
    )


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _rounded(f: DerivedFeatures) -> DerivedFeatures:
    return DerivedFeatures(
        monthly_income=round(f.monthly_income, 2),
        monthly_spend=round(f.monthly_spend, 2),
        savings_rate=f.savings_rate,
        spending_by_category={k: round(v, 2) for k, v in f.spending_by_category.items()},
        balance_current=round(f.balance_current, 2),
        balance_savings=round(f.balance_savings, 2),
        balance_investments=round(f.balance_investments, 2),
        credit_debt=round(f.credit_debt, 2),
    )


def _features_of(row: CustomerFeatures) -> DerivedFeatures:
    return DerivedFeatures(
        monthly_income=float(row.monthly_income),
        monthly_spend=float(row.monthly_spend),
        savings_rate=row.savings_rate,
        spending_by_category={k: float(v) for k, v in (row.spending_by_category or {}).items()},
        balance_current=float(row.balance_current),
        balance_savings=float(row.balance_savings),
        balance_investments=float(row.balance_investments),
        credit_debt=float(row.credit_debt),
    )
