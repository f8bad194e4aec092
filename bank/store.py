"""The customer profile store: the one way the bot, the service and the recommender read
and change customers' accounts, cards, transfers and goals.

Every method runs in its own database transaction and returns frozen views. Writes hold
the locks they need: PostgreSQL rows are locked with ``SELECT ... FOR UPDATE`` (in id
order, so two transfers cannot deadlock); SQLite takes its database write lock up front
with ``BEGIN IMMEDIATE``, so a balance read can never be stale by the time it is written.
"""

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bank.enums import (
    AccountKind,
    CardKind,
    CardStatus,
    Category,
    GoalStatus,
    GoalType,
    RiskTolerance,
    StatusReason,
    TransactionKind,
    TransactionStatus,
    TransferStatus,
)
from bank.errors import (
    AmbiguousCard,
    InsufficientFunds,
    InvalidGoal,
    NoActiveCard,
    ProfileStoreError,
    SameAccount,
    TransferAlreadyCancelled,
    TransferNotCancellable,
    UnknownAccount,
    UnknownCard,
    UnknownTransfer,
)
from bank.matching import match_account
from bank.models import (
    Account,
    Card,
    CardDelivery,
    Customer,
    CustomerLogin,
    Goal,
    Transaction,
    Transfer,
)
from bank.models import utcnow as _utcnow
from bank.periods import Period
from bank.search import SearchResult, TransactionQuery, last_salary_date, search_transactions
from bank.sessions import Store, writing
from bank.spending import SpendingSummary, spending_summary
from bank.values import available, new_id, require_customer, valid_amount, valid_reference
from bank.views import (
    AccountView,
    CardDeliveryView,
    CardView,
    CustomerView,
    DuplicateCharge,
    GoalInput,
    GoalView,
    TransactionView,
    TransferStatusView,
    TransferView,
)

MAX_TRANSACTIONS = 100
MOVED = (TransactionStatus.BOOKED, TransactionStatus.PENDING)  # money that moved or is moving
DUPLICATE_WINDOW = timedelta(minutes=15)  # two equal card payments closer than this look doubled


class ProfileStore(Store):
    """Customers' profiles, accounts, cards, transfers and goals."""

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

    def paying_account(self, customer_id: str) -> AccountView | None:
        """The account payments come from unless another is named: the customer's current
        account with the most money available (None if they have no current account)."""
        current = [a for a in self.accounts(customer_id) if a.kind == AccountKind.CURRENT]
        return max(current, key=lambda a: a.available, default=None)

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
        """The customer's latest booked and pending transactions, newest first, on one
        account or all (declined and reverted ones moved no money: see ``transactions``).

        Args:
            limit: how many, 1 to 100.

        Raises:
            UnknownCustomer: no such customer.
            UnknownAccount: ``account_id`` is not one of the customer's accounts.
        """
        with self._sessions() as session:
            account_ids = _account_ids(session, customer_id)
            if account_id is not None:
                if account_id not in account_ids:
                    raise UnknownAccount()
                account_ids = [account_id]
            return _transactions(session, account_ids, MOVED, None, limit)

    def transactions(
        self,
        customer_id: str,
        *,
        statuses: Collection[TransactionStatus] = MOVED,
        kinds: Collection[TransactionKind] | None = None,
        foreign: bool = False,
        limit: int = 10,
    ) -> list[TransactionView]:
        """The customer's transactions in some statuses and kinds, newest first.

        Args:
            statuses: e.g. ``{TransactionStatus.DECLINED}``.
            kinds: e.g. ``{TransactionKind.CARD_PAYMENT}``; None for every kind.
            foreign: only payments made in another currency.
            limit: how many, 1 to 100.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            account_ids = _account_ids(session, customer_id)
            return _transactions(session, account_ids, statuses, kinds, limit, foreign=foreign)

    def search_transactions(self, customer_id: str, query: TransactionQuery) -> SearchResult:
        """A page of the customer's transactions that match ``query``, with totals in and out
        (``bank.search``).

        Raises:
            UnknownCustomer: no such customer.
            UnknownAccount: ``query.account_id`` is not one of the customer's accounts.
        """
        with self._sessions() as session:
            return search_transactions(session, customer_id, query)

    def spending(self, customer_id: str, period: Period) -> SpendingSummary:
        """Where the customer's money went in ``period``, against their usual (``bank.spending``).

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            return spending_summary(session, customer_id, period)

    def last_payday(self, customer_id: str) -> date | None:
        """The day of the customer's latest salary credit, if any.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            return last_salary_date(session, customer_id)

    def duplicate_charges(
        self, customer_id: str, window: timedelta = DUPLICATE_WINDOW, limit: int = 100
    ) -> list[DuplicateCharge]:
        """Card payments that look charged twice: same account, merchant and amount, the
        second within ``window`` of the first, neither declined nor reverted. Newest first.

        Args:
            limit: how many of the latest card payments to look through, 1 to 100.

        Raises:
            UnknownCustomer: no such customer.
        """
        payments = self.transactions(
            customer_id, kinds={TransactionKind.CARD_PAYMENT}, limit=limit
        )
        found: list[DuplicateCharge] = []
        paired: set[str] = set()
        for n, later in enumerate(payments):
            for earlier in payments[n + 1 :]:
                if later.booked_at - earlier.booked_at > window:
                    break
                if earlier.id in paired or later.id in paired:
                    continue
                if (later.account_id, later.description, later.amount) == (
                    earlier.account_id,
                    earlier.description,
                    earlier.amount,
                ):
                    found.append(DuplicateCharge(first=earlier, second=later))
                    paired |= {earlier.id, later.id}
        return found

    # -- card deliveries ----------------------------------------------------------------

    def card_deliveries(self, customer_id: str) -> list[CardDeliveryView]:
        """Cards sent or to be sent to the customer, the latest order first.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            account_ids = _account_ids(session, customer_id)
            rows = session.scalars(
                select(CardDelivery)
                .where(CardDelivery.account_id.in_(account_ids))
                .order_by(CardDelivery.ordered_at.desc(), CardDelivery.id.desc())
            )
            return [_delivery_view(d) for d in rows]

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
        with writing(self._sessions) as session:
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
        amount = valid_amount(amount)
        reference = valid_reference(reference)
        if source_account_id == destination_account_id:
            raise SameAccount()
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
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
            if available(source) < amount:
                raise InsufficientFunds()

            now = _utcnow()
            transfer = Transfer(
                id=new_id("trf"),
                customer_id=customer_id,
                source_account_id=source.id,
                destination_account_id=destination.id,
                amount=amount,
                reference=reference,
                created_at=now,
                status=TransferStatus.COMPLETED,
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

    def recent_transfers(self, customer_id: str, limit: int = 3) -> list[TransferStatusView]:
        """The customer's latest transfers with their status, newest first.

        Args:
            limit: how many, 1 to 100.

        Raises:
            UnknownCustomer: no such customer.
        """
        limit = max(1, min(limit, MAX_TRANSACTIONS))
        with self._sessions() as session:
            require_customer(session, customer_id)
            rows = session.scalars(
                select(Transfer)
                .where(Transfer.customer_id == customer_id)
                .order_by(Transfer.created_at.desc(), Transfer.id.desc())
                .limit(limit)
            )
            return [_transfer_status_view(t) for t in rows]

    def cancel_transfer(self, customer_id: str, transfer_id: str) -> TransferStatusView:
        """Cancel one of the customer's pending transfers while its window is open.

        The transfer's pending legs become reverted (``cancelled_by_customer``); as pending
        legs never counted in a balance, no balance changes. The transfer row is locked, so
        two cancellations at once cannot both succeed.

        Raises:
            UnknownCustomer: no such customer.
            UnknownTransfer: no such transfer among the customer's.
            TransferAlreadyCancelled: it was cancelled before.
            TransferNotCancellable: it is completed, or its window has passed.
        """
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            transfer = session.scalars(
                select(Transfer)
                .where(Transfer.id == transfer_id, Transfer.customer_id == customer_id)
                .with_for_update()
            ).one_or_none()
            if transfer is None:
                raise UnknownTransfer()
            if transfer.status == TransferStatus.CANCELLED:
                raise TransferAlreadyCancelled()
            now = _utcnow()
            if not _transfer_status_view(transfer).can_cancel(now):
                raise TransferNotCancellable()
            transfer.status = TransferStatus.CANCELLED
            transfer.cancelled_at = now
            legs = session.scalars(
                select(Transaction).where(
                    Transaction.transfer_id == transfer.id,
                    Transaction.status == TransactionStatus.PENDING,
                )
            )
            for leg in legs:
                leg.status = TransactionStatus.REVERTED
                leg.status_reason = StatusReason.CANCELLED_BY_CUSTOMER
            session.flush()
            return _transfer_status_view(transfer)

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
        target = valid_amount(goal.target_amount)
        budget = valid_amount(goal.monthly_budget, allow_zero=True)
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            row = Goal(
                id=new_id("goal"),
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
            require_customer(session, customer_id)
            rows = session.scalars(
                select(Goal)
                .where(Goal.customer_id == customer_id)
                .order_by(Goal.created_at.desc(), Goal.id.desc())
            )
            return [_goal_view(g) for g in rows]



# -- helpers (all take an open session) --------------------------------------------------



def _accounts(session: Session, customer_id: str) -> list[Account]:
    require_customer(session, customer_id)
    return list(
        session.scalars(
            select(Account).where(Account.customer_id == customer_id).order_by(Account.opened_at, Account.id)
        )
    )


def _account_ids(session: Session, customer_id: str) -> list[str]:
    return [a.id for a in _accounts(session, customer_id)]


def _cards(session: Session, customer_id: str, lock: bool = False) -> list[tuple[Card, Account]]:
    require_customer(session, customer_id)
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



def _transactions(
    session: Session,
    account_ids: list[str],
    statuses: Collection[TransactionStatus],
    kinds: Collection[TransactionKind] | None,
    limit: int,
    foreign: bool = False,
) -> list[TransactionView]:
    query = select(Transaction).where(
        Transaction.account_id.in_(account_ids), Transaction.status.in_(list(statuses))
    )
    if kinds is not None:
        query = query.where(Transaction.kind.in_(list(kinds)))
    if foreign:
        query = query.where(Transaction.original_currency.is_not(None))
    query = query.order_by(Transaction.booked_at.desc(), Transaction.id.desc())
    rows = session.scalars(query.limit(max(1, min(limit, MAX_TRANSACTIONS))))
    return [_transaction_view(t) for t in rows]





def _transfer_leg(transfer: Transfer, account: Account, amount: Decimal, description: str) -> Transaction:
    return Transaction(
        id=new_id("txn"),
        account_id=account.id,
        booked_at=transfer.created_at,
        amount=amount,
        currency=account.currency,
        description=description,
        category=Category.TRANSFER,
        transfer_id=transfer.id,
        kind=TransactionKind.TRANSFER,
        status=TransactionStatus.BOOKED,
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
        available=available(a),
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
        kind=t.kind,
        status=t.status,
        status_reason=t.status_reason,
        original_amount=t.original_amount,
        original_currency=t.original_currency,
        exchange_rate=t.exchange_rate,
    )


def _transfer_status_view(t: Transfer) -> TransferStatusView:
    return TransferStatusView(
        id=t.id,
        source_account_id=t.source_account_id,
        destination_account_id=t.destination_account_id,
        amount=t.amount,
        reference=t.reference,
        created_at=t.created_at,
        status=t.status,
        cancellable_until=t.cancellable_until,
        cancelled_at=t.cancelled_at,
    )


def _delivery_view(d: CardDelivery) -> CardDeliveryView:
    return CardDeliveryView(
        id=d.id,
        account_id=d.account_id,
        last4=d.last4,
        reason=d.reason,
        status=d.status,
        ordered_at=d.ordered_at,
        dispatched_at=d.dispatched_at,
        expected_by=d.expected_by,
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
