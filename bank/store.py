"""The customer profile store: the one way the bot, the service and the recommender read
and change customers' accounts, cards, transfers and goals.

Every method runs in its own database transaction and returns frozen views. Writes hold
the locks they need: PostgreSQL rows are locked with ``SELECT ... FOR UPDATE`` (in id
order, so two transfers cannot deadlock); SQLite takes its database write lock up front
with ``BEGIN IMMEDIATE``, so a balance read can never be stale by the time it is written.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Self

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import (
    AccountKind,
    CardKind,
    CardStatus,
    Category,
    GoalStatus,
    GoalType,
    RiskTolerance,
)
from bank.errors import (
    AmbiguousCard,
    InsufficientFunds,
    InvalidAmount,
    InvalidGoal,
    InvalidReference,
    NoActiveCard,
    ProfileStoreError,
    SameAccount,
    UnknownAccount,
    UnknownCard,
    UnknownCustomer,
)
from bank.matching import match_account
from bank.models import Account, Card, Customer, CustomerLogin, Goal, Transaction, Transfer
from bank.models import utcnow as _utcnow
from bank.views import (
    AccountView,
    CardView,
    CustomerView,
    GoalInput,
    GoalView,
    TransactionView,
    TransferView,
)
from database.engine import get_engine, session_factory
from database.settings import DatabaseSettings

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")  # well inside Numeric(14, 2)
MAX_TRANSACTIONS = 100
_REFERENCE = re.compile(r"[A-Za-z0-9 .\-/&]{1,18}")


class ProfileStore:
    """Customers' profiles, accounts, cards, transfers and goals.

    Args:
        sessions: a ``sessionmaker`` bound to a migrated profile database.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @classmethod
    def from_settings(cls, settings: DatabaseSettings | None = None) -> Self:
        """A store on ``settings.database_url`` (default: the environment's)."""
        settings = settings or DatabaseSettings()
        return cls(session_factory(get_engine(settings.database_url)))

    # -- customers and accounts -------------------------------------------------------

    def get_customer(self, customer_id: str) -> CustomerView | None:
        with self._sessions() as session:
            customer = session.get(Customer, customer_id)
            return _customer_view(customer) if customer else None

    def customer_for_login(self, subject: str) -> str | None:
        """Our customer id for an identity provider's subject, if the bank knows it."""
        with self._sessions() as session:
            login = session.get(CustomerLogin, subject)
            return login.customer_id if login else None

    def list_customers(self) -> list[CustomerView]:
        with self._sessions() as session:
            customers = session.scalars(select(Customer).order_by(Customer.id))
            return [_customer_view(c) for c in customers]

    def accounts(self, customer_id: str) -> list[AccountView]:
        """The customer's accounts, oldest first.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            return [_account_view(a) for a in _accounts(session, customer_id)]

    def find_account(self, customer_id: str, text: str) -> AccountView | None:
        """Resolve what the customer typed ("savings", "ending 4821", the account name...).

        Returns:
            The account, or None when the text is unknown or fits several accounts.

        Raises:
            UnknownCustomer: no such customer.
        """
        return match_account(self.accounts(customer_id), text)

    def recent_transactions(
        self, customer_id: str, account_id: str | None = None, limit: int = 5
    ) -> list[TransactionView]:
        """The customer's latest transactions, newest first, on one account or all.

        Args:
            limit: how many, 1 to 100.

        Raises:
            UnknownCustomer: no such customer.
            UnknownAccount: ``account_id`` is not one of the customer's accounts.
        """
        limit = max(1, min(limit, MAX_TRANSACTIONS))
        with self._sessions() as session:
            account_ids = [a.id for a in _accounts(session, customer_id)]
            if account_id is not None:
                if account_id not in account_ids:
                    raise UnknownAccount()
                account_ids = [account_id]
            rows = session.scalars(
                select(Transaction)
                .where(Transaction.account_id.in_(account_ids))
                .order_by(Transaction.booked_at.desc(), Transaction.id.desc())
                .limit(limit)
            )
            return [_transaction_view(t) for t in rows]

    # -- cards ------------------------------------------------------------------------

    def cards(self, customer_id: str) -> list[CardView]:
        """All the customer's cards, cancelled ones included.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            return [_card_view(card, account) for card, account in _cards(session, customer_id)]

    def freeze_card(self, customer_id: str, card_id: str | None = None) -> CardView:
        """Freeze a card; freezing a frozen card changes nothing.

        Args:
            card_id: the card; None means the customer's one debit card that is not
                cancelled (an active one is preferred over a frozen one).

        Raises:
            UnknownCustomer: no such customer.
            UnknownCard: ``card_id`` is not one of the customer's cards.
            AmbiguousCard: ``card_id`` is None and several debit cards are active.
            NoActiveCard: the card is cancelled, or the customer has no usable debit card.
        """
        return self._set_card_status(customer_id, card_id, CardStatus.FROZEN)

    def unfreeze_card(self, customer_id: str, card_id: str | None = None) -> CardView:
        """Make a frozen card active again; an active card is left as it is.

        Raises:
            The same errors as ``freeze_card``.
        """
        return self._set_card_status(customer_id, card_id, CardStatus.ACTIVE)

    def _set_card_status(self, customer_id: str, card_id: str | None, status: CardStatus) -> CardView:
        with self._writing() as session:
            owned = _cards(session, customer_id, lock=True)
            card, account = _pick_card(owned, card_id, prefer=_other(status))
            if card.status == CardStatus.CANCELLED:
                raise NoActiveCard()
            if card.status != status:
                card.status = status
                card.status_changed_at = _utcnow()
            return _card_view(card, account)

    # -- transfers --------------------------------------------------------------------

    def transfer(
        self,
        customer_id: str,
        source_account_id: str,
        destination_account_id: str,
        amount: Decimal,
        reference: str | None = None,
    ) -> TransferView:
        """Move money between two of the customer's own accounts, all or nothing.

        Books a ``Transfer`` and two ``transfer`` transactions and updates both balances.

        Args:
            amount: more than zero, at most two decimal places.
            reference: optional, up to 18 letters, digits, spaces or ``. - / &``.

        Raises:
            InvalidAmount, InvalidReference, SameAccount: the request itself is wrong.
            UnknownCustomer: no such customer.
            UnknownAccount: an account is not one of the customer's.
            InsufficientFunds: the source's balance (plus any credit limit) is too low.
        """
        amount = _valid_amount(amount)
        reference = _valid_reference(reference)
        if source_account_id == destination_account_id:
            raise SameAccount()
        with self._writing() as session:
            _require_customer(session, customer_id)
            locked = session.scalars(
                select(Account)
                .where(
                    Account.customer_id == customer_id,
                    Account.id.in_([source_account_id, destination_account_id]),
                )
                .order_by(Account.id)
                .with_for_update()
            ).all()
            by_id = {a.id: a for a in locked}
            source = by_id.get(source_account_id)
            destination = by_id.get(destination_account_id)
            if source is None or destination is None:
                raise UnknownAccount()
            if source.currency != destination.currency:
                raise ProfileStoreError("Transfers between currencies aren't supported.")
            if _available(source) < amount:
                raise InsufficientFunds()

            now = _utcnow()
            transfer = Transfer(
                id=_new_id("trf"),
                customer_id=customer_id,
                source_account_id=source.id,
                destination_account_id=destination.id,
                amount=amount,
                reference=reference,
                created_at=now,
            )
            source.balance -= amount
            destination.balance += amount
            session.add(transfer)
            session.flush()  # the transfer row must exist before transactions refer to it
            session.add_all(
                [
                    _transfer_leg(transfer, source, -amount, f"Transfer to {destination.name}"),
                    _transfer_leg(transfer, destination, amount, f"Transfer from {source.name}"),
                ]
            )
            session.flush()
            return TransferView(
                id=transfer.id,
                source_account_id=source.id,
                destination_account_id=destination.id,
                amount=amount,
                currency=source.currency,
                reference=reference,
                created_at=now,
                source_balance=source.balance,
                destination_balance=destination.balance,
            )

    # -- goals ------------------------------------------------------------------------

    def save_goal(self, customer_id: str, goal: GoalInput) -> GoalView:
        """Record a new active goal for the customer.

        Raises:
            UnknownCustomer: no such customer.
            InvalidGoal: unknown goal type or risk level, or a horizon outside 1-600 months.
            InvalidAmount: a target or budget that is not a valid amount.
        """
        try:
            goal_type = GoalType(goal.goal_type)
            risk = RiskTolerance(goal.risk_tolerance)
        except ValueError:
            raise InvalidGoal() from None
        if not isinstance(goal.horizon_months, int) or not 1 <= goal.horizon_months <= 600:
            raise InvalidGoal()
        target = _valid_amount(goal.target_amount)
        budget = _valid_amount(goal.monthly_budget, allow_zero=True)
        with self._writing() as session:
            _require_customer(session, customer_id)
            row = Goal(
                id=_new_id("goal"),
                customer_id=customer_id,
                goal_type=goal_type,
                target_amount=target,
                horizon_months=goal.horizon_months,
                risk_tolerance=risk,
                monthly_budget=budget,
                status=GoalStatus.ACTIVE,
                created_at=_utcnow(),
            )
            session.add(row)
            session.flush()
            return _goal_view(row)

    def goals(self, customer_id: str) -> list[GoalView]:
        """The customer's goals, newest first.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            _require_customer(session, customer_id)
            rows = session.scalars(
                select(Goal)
                .where(Goal.customer_id == customer_id)
                .order_by(Goal.created_at.desc(), Goal.id.desc())
            )
            return [_goal_view(g) for g in rows]

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A session in one transaction, committed on success and rolled back on error."""
        with self._sessions.begin() as session:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(text("BEGIN IMMEDIATE"))
            yield session


# -- helpers (all take an open session) --------------------------------------------------


def _require_customer(session: Session, customer_id: str) -> None:
    if session.get(Customer, customer_id) is None:
        raise UnknownCustomer()


def _accounts(session: Session, customer_id: str) -> list[Account]:
    _require_customer(session, customer_id)
    return list(
        session.scalars(
            select(Account).where(Account.customer_id == customer_id).order_by(Account.opened_at, Account.id)
        )
    )


def _cards(session: Session, customer_id: str, lock: bool = False) -> list[tuple[Card, Account]]:
    _require_customer(session, customer_id)
    query = (
        select(Card, Account)
        .join(Account, Card.account_id == Account.id)
        .where(Account.customer_id == customer_id)
        .order_by(Card.id)
    )
    if lock:
        query = query.with_for_update(of=Card)
    return [(card, account) for card, account in session.execute(query)]


def _pick_card(
    owned: list[tuple[Card, Account]], card_id: str | None, prefer: CardStatus
) -> tuple[Card, Account]:
    """The card named by ``card_id``, or else the one usable debit card.

    With no ``card_id``, debit cards in status ``prefer`` (the ones the change applies
    to) are chosen first; if there are none, a single card already in the target state
    is returned so that repeating a request is harmless.
    """
    if card_id is not None:
        for card, account in owned:
            if card.id == card_id:
                return card, account
        raise UnknownCard()
    debit = [(c, a) for c, a in owned if a.kind == AccountKind.CURRENT]
    preferred = [(c, a) for c, a in debit if c.status == prefer]
    if len(preferred) > 1:
        raise AmbiguousCard()
    if preferred:
        return preferred[0]
    usable = [(c, a) for c, a in debit if c.status != CardStatus.CANCELLED]
    if len(usable) > 1:
        raise AmbiguousCard()
    if not usable:
        raise NoActiveCard()
    return usable[0]


def _other(status: CardStatus) -> CardStatus:
    return CardStatus.ACTIVE if status == CardStatus.FROZEN else CardStatus.FROZEN


def _available(account: Account) -> Decimal:
    return account.balance + (account.credit_limit or Decimal(0))


def _valid_amount(amount: Decimal | int | str, allow_zero: bool = False) -> Decimal:
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise InvalidAmount() from None
    if not value.is_finite() or value != value.quantize(CENT) or value >= MAX_AMOUNT:
        raise InvalidAmount()
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidAmount()
    return value.quantize(CENT)


def _valid_reference(reference: str | None) -> str | None:
    if reference is None or not reference.strip():
        return None
    reference = reference.strip()
    if not _REFERENCE.fullmatch(reference):
        raise InvalidReference()
    return reference


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def _transfer_leg(transfer: Transfer, account: Account, amount: Decimal, description: str) -> Transaction:
    return Transaction(
        id=_new_id("txn"),
        account_id=account.id,
        booked_at=transfer.created_at,
        amount=amount,
        currency=account.currency,
        description=description,
        category=Category.TRANSFER,
        transfer_id=transfer.id,
    )


def _customer_view(c: Customer) -> CustomerView:
    return CustomerView(
        id=c.id,
        first_name=c.first_name,
        birth_year=c.birth_year,
        country_of_residence=c.country_of_residence,
        credit_band=c.credit_band,
        annual_income=c.annual_income,
        employment_status=c.employment_status,
        created_at=c.created_at,
    )


def _account_view(a: Account) -> AccountView:
    return AccountView(
        id=a.id,
        kind=a.kind,
        name=a.name,
        masked_number=a.masked_number,
        currency=a.currency,
        balance=a.balance,
        available=_available(a),
    )


def _transaction_view(t: Transaction) -> TransactionView:
    return TransactionView(
        id=t.id,
        account_id=t.account_id,
        booked_at=t.booked_at,
        amount=t.amount,
        currency=t.currency,
        description=t.description,
        category=t.category,
        transfer_id=t.transfer_id,
    )


def _card_view(card: Card, account: Account) -> CardView:
    kind = CardKind.CREDIT if account.kind == AccountKind.CREDIT_CARD else CardKind.DEBIT
    return CardView(
        id=card.id,
        account_id=account.id,
        kind=kind,
        last4=card.last4,
        status=card.status,
        status_changed_at=card.status_changed_at,
    )


def _goal_view(g: Goal) -> GoalView:
    return GoalView(
        id=g.id,
        customer_id=g.customer_id,
        goal_type=g.goal_type,
        target_amount=g.target_amount,
        horizon_months=g.horizon_months,
        risk_tolerance=g.risk_tolerance,
        monthly_budget=g.monthly_budget,
        status=g.status,
        created_at=g.created_at,
    )
