"""Payments to payees, standing orders and credit card repayments.

Limits come from ``policy.yml`` (``limits``, ``credit_cards``). Every payment carries the
caller's idempotency key, unique per customer: repeating a request returns the first payment
and moves no money again. Writes lock the customer's row first (``FOR UPDATE`` on
PostgreSQL, the write lock on SQLite), so a customer's payments, their daily total and their
keys are decided one at a time.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bank.enums import (
    AccountKind,
    Category,
    Frequency,
    PaymentStatus,
    RepaymentChoice,
    StandingOrderStatus,
    TransactionKind,
    TransactionStatus,
)
from bank.errors import (
    DailyLimitExceeded,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidIdempotencyKey,
    InvalidPaymentDate,
    InvalidRepaymentChoice,
    NewPayeeLimitExceeded,
    NoCardStatement,
    NotACreditCard,
    NothingToRepay,
    PaymentLimitExceeded,
    PaymentNotCancellable,
    PaymentNotInReview,
    RepaymentTooLarge,
    SameAccount,
    StandingOrderAlreadyCancelled,
    UnknownAccount,
    UnknownCustomer,
    UnknownPayment,
    UnknownStandingOrder,
)
from bank.models import Account, CardStatement, Customer, Payee, Payment, StandingOrder, Transaction
from bank.models import utcnow as _utcnow
from bank.payees import find_payee
from bank.policy import money_fact, percent_fact
from bank.sessions import Store, writing
from bank.values import CENT, available, new_id, require_customer, valid_amount, valid_reference
from bank.views import CardStatementView, PaymentView, StandingOrderView

UK = ZoneInfo("Europe/London")
MAX_DAYS_AHEAD = 366
MAX_KEY = 64
MAX_REVIEW_REASON = 64
MAX_PAYMENTS = 100
SENT = (PaymentStatus.COMPLETED, PaymentStatus.REVIEW)  # count in the day's total


def payment_limit() -> Decimal:
    """The most one payment to a payee may be."""
    return money_fact("limits.payment_single")


def daily_limit() -> Decimal:
    """The most a customer may pay to payees in one UK calendar day."""
    return money_fact("limits.transfer_daily")


def first_payment_limit() -> Decimal:
    """The most the first payment to a new payee may be."""
    return money_fact("limits.first_payment_to_new_payee")


def minimum_payment(statement_balance: Decimal) -> Decimal:
    """A statement's minimum payment: the floor or the percentage of the balance, whichever
    is more, and never more than the balance."""
    floor = money_fact("credit_cards.minimum_payment_floor")
    share = (statement_balance * percent_fact("credit_cards.minimum_payment_percent")).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return max(Decimal(0), min(statement_balance, max(floor, share)))


def next_payment_date(day: date, frequency: Frequency) -> date:
    """The date after ``day`` of a standing order: a week on, or the same day next month
    (its last day when shorter: 31 January, then 28 February)."""
    if frequency == Frequency.WEEKLY:
        return day + timedelta(days=7)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def uk_today(now: datetime | None = None) -> date:
    return (now or _utcnow()).astimezone(UK).date()


class PaymentStore(Store):
    """Payments out of customers' accounts: to payees now or on a date, standing orders, and
    repayments of their credit cards.
    """

    # -- payments to payees -----------------------------------------------------------

    def pay(
        self,
        customer_id: str,
        source_account_id: str,
        payee_id: str,
        amount: Decimal,
        reference: str | None = None,
        on: date | None = None,
        *,
        idempotency_key: str,
        review_reason: str | None = None,
    ) -> PaymentView:
        """Pay a payee now (debits the source at once) or on a later day (``scheduled``).

        A payment with a ``review_reason`` is held (status ``review``): no money moves until
        ``release_payment``; it counts in the day's total meanwhile.

        Args:
            amount: more than zero, at most two decimal places.
            reference: optional, up to 18 letters, digits, spaces or ``. - / &``.
            on: the day to send it (UK calendar); None or today: now.
            idempotency_key: the caller's key for this request; the same key again returns
                the first payment.
            review_reason: why screening holds it (up to 64 characters), or None.

        Raises:
            InvalidAmount, InvalidReference, InvalidPaymentDate, InvalidIdempotencyKey: the
                request itself is wrong.
            PaymentLimitExceeded: more than one payment may be.
            NewPayeeLimitExceeded: the first payment to this payee, above its limit.
            DailyLimitExceeded: the customer's payments today would pass the daily limit.
            UnknownCustomer, UnknownAccount, UnknownPayee: not the customer's.
            InsufficientFunds: the source's available balance is too low.
            IdempotencyConflict: the key was used for a different payment.
        """
        amount = valid_amount(amount)
        reference = valid_reference(reference)
        key = _valid_key(idempotency_key)
        reason = _valid_reason(review_reason)
        today = uk_today()
        scheduled_for = _scheduled_day(on, today)
        if amount > payment_limit():
            raise PaymentLimitExceeded()
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            earlier = _by_key(session, customer_id, key)
            if earlier is not None:
                asked = (source_account_id, payee_id, amount, reference, scheduled_for)
                made = (earlier.source_account_id, earlier.payee_id, earlier.amount, earlier.reference,
                        earlier.scheduled_for)
                if made != asked:
                    raise IdempotencyConflict()
                return _payment_view(session, earlier)
            payee = find_payee(session, customer_id, payee_id)
            source = _lock_accounts(session, customer_id, [source_account_id])[source_account_id]
            if amount > first_payment_limit() and not _paid_before(session, payee.id):
                raise NewPayeeLimitExceeded()
            if scheduled_for is None:
                if _paid_today(session, customer_id) + amount > daily_limit():
                    raise DailyLimitExceeded()
                if available(source) < amount:
                    raise InsufficientFunds()
            status = PaymentStatus.SCHEDULED if scheduled_for else PaymentStatus.COMPLETED
            payment = Payment(
                id=new_id("pmt"),
                customer_id=customer_id,
                source_account_id=source.id,
                payee_id=payee.id,
                amount=amount,
                reference=reference,
                scheduled_for=scheduled_for,
                status=PaymentStatus.REVIEW if reason else status,
                review_reason=reason,
                idempotency_key=key,
                created_at=_utcnow(),
            )
            session.add(payment)
            session.flush()
            if payment.status == PaymentStatus.COMPLETED:
                _send(session, payment, source, payee)
            return _payment_view(session, payment)

    def payments(self, customer_id: str, limit: int = 10) -> list[PaymentView]:
        """The customer's payments and card repayments in every status, newest first.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            rows = session.scalars(
                select(Payment)
                .where(Payment.customer_id == customer_id)
                .order_by(Payment.created_at.desc(), Payment.id.desc())
                .limit(max(1, min(limit, MAX_PAYMENTS)))
            )
            return [_payment_view(session, p) for p in rows]

    def has_paid(self, customer_id: str, payee_id: str) -> bool:
        """Whether the customer has a payment to this payee made or on its way (scheduled)."""
        with self._sessions() as session:
            return session.scalar(
                select(Payment.id).where(
                    Payment.customer_id == customer_id, Payment.payee_id == payee_id,
                    Payment.status.in_([PaymentStatus.COMPLETED, PaymentStatus.SCHEDULED]),
                ).limit(1)
            ) is not None

    def held_for_review(self, limit: int = MAX_PAYMENTS) -> list[PaymentView]:
        """Every customer's payments held for review, oldest first (for the colleagues who
        release or cancel them)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Payment).where(Payment.status == PaymentStatus.REVIEW)
                .order_by(Payment.created_at, Payment.id).limit(max(1, min(limit, MAX_PAYMENTS)))
            )
            return [_payment_view(session, p) for p in rows]

    def held_payment(self, payment_id: str) -> PaymentView:
        """One payment held for review, whoever's it is.

        Raises:
            UnknownPayment: no payment ``payment_id`` is held for review.
        """
        with self._sessions() as session:
            payment = session.get(Payment, payment_id)
            if payment is None or payment.status != PaymentStatus.REVIEW:
                raise UnknownPayment()
            return _payment_view(session, payment)

    def release_payment(self, customer_id: str, payment_id: str) -> PaymentView:
        """Let a payment held for review go: sent now (debiting the source), or scheduled if
        its day is still ahead.

        Raises:
            UnknownCustomer, UnknownPayment: not the customer's.
            PaymentNotInReview: it is not held for review.
            UnknownPayee: its payee was removed meanwhile.
            InsufficientFunds: the source's available balance is too low now (it stays held).
        """
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            payment = _payment(session, customer_id, payment_id)
            if payment.status != PaymentStatus.REVIEW:
                raise PaymentNotInReview()
            if payment.scheduled_for is not None and payment.scheduled_for > uk_today():
                payment.status = PaymentStatus.SCHEDULED
                return _payment_view(session, payment)
            source = _lock_accounts(session, customer_id, [payment.source_account_id])[
                payment.source_account_id
            ]
            if available(source) < payment.amount:
                raise InsufficientFunds()
            payee = find_payee(session, customer_id, payment.payee_id or "")
            payment.status = PaymentStatus.COMPLETED
            _send(session, payment, source, payee)
            return _payment_view(session, payment)

    def cancel_payment(self, customer_id: str, payment_id: str) -> PaymentView:
        """Cancel a scheduled payment or one held for review (no money had moved).

        Raises:
            UnknownCustomer, UnknownPayment: not the customer's.
            PaymentNotCancellable: it was sent, failed or is already cancelled.
        """
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            payment = _payment(session, customer_id, payment_id)
            if payment.status not in (PaymentStatus.SCHEDULED, PaymentStatus.REVIEW):
                raise PaymentNotCancellable()
            payment.status, payment.cancelled_at = PaymentStatus.CANCELLED, _utcnow()
            return _payment_view(session, payment)

    def send_due_payments(self, today: date | None = None) -> list[PaymentView]:
        """Send every payment due on or before ``today`` (UK): the scheduled ones and those
        of active standing orders (each order then moves to its next date). Each is completed,
        or ``failed`` when its source lacks the money or its payee was removed. The daily
        limit is not applied to them: each passed the single-payment limit when made."""
        today = today or uk_today()
        self._schedule_standing_orders(today)
        with self._sessions() as session:
            due = list(
                session.execute(
                    select(Payment.customer_id, Payment.id).where(
                        Payment.status == PaymentStatus.SCHEDULED, Payment.scheduled_for <= today
                    ).order_by(Payment.scheduled_for, Payment.id)
                )
            )
        return [self._send_scheduled(customer_id, payment_id) for customer_id, payment_id in due]

    def _schedule_standing_orders(self, today: date) -> None:
        """A scheduled payment for each date of an active standing order up to ``today``;
        the order's key for the date keeps it to one."""
        with self._sessions() as session:
            due = list(
                session.execute(
                    select(StandingOrder.customer_id, StandingOrder.id).where(
                        StandingOrder.status == StandingOrderStatus.ACTIVE, StandingOrder.next_date <= today
                    )
                )
            )
        for customer_id, order_id in due:
            with writing(self._sessions) as session:
                _lock_customer(session, customer_id)
                order = session.scalars(
                    select(StandingOrder).where(StandingOrder.id == order_id).with_for_update()
                ).one()
                while order.status == StandingOrderStatus.ACTIVE and order.next_date <= today:
                    key = f"{order.id}_{order.next_date:%Y%m%d}"
                    if _by_key(session, customer_id, key) is None:
                        session.add(
                            Payment(
                                id=new_id("pmt"),
                                customer_id=customer_id,
                                source_account_id=order.source_account_id,
                                payee_id=order.payee_id,
                                amount=order.amount,
                                reference=order.reference,
                                scheduled_for=order.next_date,
                                status=PaymentStatus.SCHEDULED,
                                idempotency_key=key,
                                created_at=_utcnow(),
                            )
                        )
                    order.next_date = next_payment_date(order.next_date, order.frequency)

    def _send_scheduled(self, customer_id: str, payment_id: str) -> PaymentView:
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            payment = _payment(session, customer_id, payment_id)
            if payment.status != PaymentStatus.SCHEDULED:
                return _payment_view(session, payment)
            source = _lock_accounts(session, customer_id, [payment.source_account_id])[
                payment.source_account_id
            ]
            payee = session.get(Payee, payment.payee_id) if payment.payee_id else None
            if payee is None or payee.removed_at is not None or available(source) < payment.amount:
                payment.status = PaymentStatus.FAILED
            else:
                payment.status = PaymentStatus.COMPLETED
                _send(session, payment, source, payee)
            return _payment_view(session, payment)

    # -- standing orders ----------------------------------------------------------------

    def create_standing_order(
        self,
        customer_id: str,
        source_account_id: str,
        payee_id: str,
        amount: Decimal,
        frequency: Frequency | str,
        first_date: date,
        reference: str | None = None,
        idempotency_key: str | None = None,
    ) -> StandingOrderView:
        """Pay a payee the same amount every week or month from ``first_date`` on.

        A repeated ``idempotency_key`` returns the order it first set up, unchanged.

        Raises:
            InvalidAmount, InvalidReference, InvalidPaymentDate: the request itself is wrong
                (a frequency other than weekly or monthly is an ``InvalidPaymentDate``).
            PaymentLimitExceeded: each payment would be more than one payment may be.
            UnknownCustomer, UnknownAccount, UnknownPayee: not the customer's.
        """
        amount = valid_amount(amount)
        reference = valid_reference(reference)
        try:
            frequency = Frequency(frequency)
        except ValueError:
            raise InvalidPaymentDate("A standing order is paid weekly or monthly.") from None
        today = uk_today()
        if not isinstance(first_date, date) or not today <= first_date <= today + timedelta(MAX_DAYS_AHEAD):
            raise InvalidPaymentDate()
        if amount > payment_limit():
            raise PaymentLimitExceeded()
        key = _valid_key(idempotency_key) if idempotency_key is not None else None
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            if key is not None:
                earlier = session.scalars(
                    select(StandingOrder).where(
                        StandingOrder.customer_id == customer_id, StandingOrder.idempotency_key == key
                    )
                ).one_or_none()
                if earlier is not None:
                    return _standing_order_view(earlier)
            payee = find_payee(session, customer_id, payee_id)
            source = _lock_accounts(session, customer_id, [source_account_id])[source_account_id]
            order = StandingOrder(
                id=new_id("sto"),
                customer_id=customer_id,
                source_account_id=source.id,
                payee_id=payee.id,
                amount=amount,
                frequency=frequency,
                next_date=first_date,
                reference=reference,
                status=StandingOrderStatus.ACTIVE,
                idempotency_key=key,
                created_at=_utcnow(),
            )
            session.add(order)
            session.flush()
            return _standing_order_view(order)

    def standing_orders(self, customer_id: str, include_cancelled: bool = False) -> list[StandingOrderView]:
        """The customer's standing orders (active ones unless asked), next payment first.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            query = select(StandingOrder).where(StandingOrder.customer_id == customer_id)
            if not include_cancelled:
                query = query.where(StandingOrder.status == StandingOrderStatus.ACTIVE)
            rows = session.scalars(query.order_by(StandingOrder.next_date, StandingOrder.id))
            return [_standing_order_view(o) for o in rows]

    def cancel_standing_order(self, customer_id: str, standing_order_id: str) -> StandingOrderView:
        """Stop a standing order; no more payments are made from it.

        Raises:
            UnknownCustomer, UnknownStandingOrder: not the customer's.
            StandingOrderAlreadyCancelled: it was cancelled before.
        """
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            order = session.scalars(
                select(StandingOrder)
                .where(StandingOrder.id == standing_order_id, StandingOrder.customer_id == customer_id)
                .with_for_update()
            ).one_or_none()
            if order is None:
                raise UnknownStandingOrder()
            if order.status == StandingOrderStatus.CANCELLED:
                raise StandingOrderAlreadyCancelled()
            order.status, order.cancelled_at = StandingOrderStatus.CANCELLED, _utcnow()
            session.flush()
            return _standing_order_view(order)

    # -- credit cards -------------------------------------------------------------------

    def card_statement(self, customer_id: str, card_account_id: str) -> CardStatementView:
        """A credit card's latest statement and what is left to pay of it.

        Raises:
            UnknownCustomer, UnknownAccount: not the customer's.
            NotACreditCard: the account is not a credit card.
            NoCardStatement: the card has had no statement yet.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            card = session.scalars(
                select(Account).where(Account.id == card_account_id, Account.customer_id == customer_id)
            ).one_or_none()
            if card is None:
                raise UnknownAccount()
            return _statement(session, _credit_card(card))

    def repay_credit_card(
        self,
        customer_id: str,
        from_account_id: str,
        card_account_id: str,
        choice: RepaymentChoice | str,
        amount: Decimal | None = None,
        *,
        idempotency_key: str,
    ) -> PaymentView:
        """Repay one of the customer's credit cards from another of their accounts, now.

        Args:
            choice: ``minimum`` (what is left of the statement's minimum payment), ``full``
                (what is left of the statement balance) or ``amount`` (then ``amount``).
            idempotency_key: the same key again returns the first repayment.

        Raises:
            InvalidRepaymentChoice: an unknown choice, ``amount`` without an amount or an
                amount with another choice.
            InvalidAmount, InvalidIdempotencyKey: the request itself is wrong.
            SameAccount: the two accounts are the same.
            UnknownCustomer, UnknownAccount: not the customer's.
            NotACreditCard: the card account is not a credit card.
            NoCardStatement: ``minimum`` or ``full`` for a card with no statement yet.
            NothingToRepay: the choice comes to nothing (already paid, or nothing owed).
            RepaymentTooLarge: an amount above what is owed on the card now.
            InsufficientFunds: the source's available balance is too low.
            IdempotencyConflict: the key was used for a different payment.
        """
        try:
            choice = RepaymentChoice(choice)
        except ValueError:
            raise InvalidRepaymentChoice() from None
        if (choice == RepaymentChoice.AMOUNT) != (amount is not None):
            raise InvalidRepaymentChoice()
        named = valid_amount(amount) if amount is not None else None
        key = _valid_key(idempotency_key)
        if from_account_id == card_account_id:
            raise SameAccount()
        with writing(self._sessions) as session:
            _lock_customer(session, customer_id)
            earlier = _by_key(session, customer_id, key)
            if earlier is not None:
                same = (earlier.source_account_id, earlier.destination_account_id) == (
                    from_account_id, card_account_id
                ) and (named is None or named == earlier.amount)
                if not same:
                    raise IdempotencyConflict()
                return _payment_view(session, earlier)
            locked = _lock_accounts(session, customer_id, [from_account_id, card_account_id])
            source, card = locked[from_account_id], _credit_card(locked[card_account_id])
            repay = _repayment(session, card, choice, named)
            if available(source) < repay:
                raise InsufficientFunds()
            now = _utcnow()
            payment = Payment(
                id=new_id("pmt"),
                customer_id=customer_id,
                source_account_id=source.id,
                destination_account_id=card.id,
                amount=repay,
                reference=None,
                status=PaymentStatus.COMPLETED,
                idempotency_key=key,
                created_at=now,
                completed_at=now,
            )
            session.add(payment)
            session.flush()
            source.balance -= repay
            card.balance += repay
            session.add_all(
                [
                    _leg(payment, source, -repay, f"Repayment to {card.name}", TransactionKind.TRANSFER),
                    _leg(payment, card, repay, f"Repayment from {source.name}", TransactionKind.TRANSFER),
                ]
            )
            session.flush()
            return _payment_view(session, payment)


# -- helpers (all take an open session) --------------------------------------------------


def _valid_key(key: str) -> str:
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise InvalidIdempotencyKey()
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in key):
        raise InvalidIdempotencyKey()
    return key


def _valid_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    reason = " ".join(str(reason).split())[:MAX_REVIEW_REASON]
    return reason or "held for review"


def _scheduled_day(on: date | None, today: date) -> date | None:
    """None for a payment sent now; the day for one scheduled."""
    if on is None:
        return None
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidPaymentDate()
    if on < today or on > today + timedelta(MAX_DAYS_AHEAD):
        raise InvalidPaymentDate()
    return on if on > today else None


def _lock_customer(session: Session, customer_id: str) -> None:
    locked = session.scalars(
        select(Customer.id).where(Customer.id == customer_id).with_for_update()
    ).one_or_none()
    if locked is None:
        raise UnknownCustomer()


def _lock_accounts(session: Session, customer_id: str, account_ids: list[str]) -> dict[str, Account]:
    rows = session.scalars(
        select(Account)
        .where(Account.customer_id == customer_id, Account.id.in_(account_ids))
        .order_by(Account.id)
        .with_for_update()
    ).all()
    found = {a.id: a for a in rows}
    if set(account_ids) - set(found):
        raise UnknownAccount()
    return found


def _by_key(session: Session, customer_id: str, key: str) -> Payment | None:
    return session.scalars(
        select(Payment).where(Payment.customer_id == customer_id, Payment.idempotency_key == key)
    ).one_or_none()


def _payment(session: Session, customer_id: str, payment_id: str) -> Payment:
    payment = session.scalars(
        select(Payment).where(Payment.id == payment_id, Payment.customer_id == customer_id).with_for_update()
    ).one_or_none()
    if payment is None:
        raise UnknownPayment()
    return payment


def _paid_before(session: Session, payee_id: str) -> bool:
    return session.scalar(
        select(Payment.id)
        .where(Payment.payee_id == payee_id, Payment.status == PaymentStatus.COMPLETED)
        .limit(1)
    ) is not None


def _paid_today(session: Session, customer_id: str) -> Decimal:
    """What the customer paid to payees since midnight UK time, held payments included."""
    midnight = datetime.combine(uk_today(), time(), tzinfo=UK).astimezone(UTC)
    total = session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.customer_id == customer_id,
            Payment.payee_id.is_not(None),
            Payment.scheduled_for.is_(None),
            Payment.status.in_(SENT),
            Payment.created_at >= midnight,
        )
    )
    return Decimal(total or 0)


def _send(session: Session, payment: Payment, source: Account, payee: Payee) -> None:
    """Debit the source and book its leg (the money leaves the bank)."""
    payment.completed_at = _utcnow()
    source.balance -= payment.amount
    description = f"Payment to {payee.display_name}"[:128]
    session.add(_leg(payment, source, -payment.amount, description, TransactionKind.PAYMENT))
    session.flush()


def _leg(payment: Payment, account: Account, amount: Decimal, description: str,
         kind: TransactionKind) -> Transaction:
    return Transaction(
        id=new_id("txn"),
        account_id=account.id,
        booked_at=payment.completed_at or payment.created_at,
        amount=amount,
        currency=account.currency,
        description=description[:128],
        category=Category.TRANSFER,
        payment_id=payment.id,
        kind=kind,
        status=TransactionStatus.BOOKED,
    )


def _credit_card(account: Account) -> Account:
    if account.kind != AccountKind.CREDIT_CARD:
        raise NotACreditCard()
    return account


def _statement(session: Session, card: Account) -> CardStatementView:
    statement = session.scalars(
        select(CardStatement)
        .where(CardStatement.account_id == card.id)
        .order_by(CardStatement.issued_on.desc(), CardStatement.id.desc())
        .limit(1)
    ).one_or_none()
    if statement is None:
        raise NoCardStatement()
    since = datetime.combine(statement.issued_on, time(), tzinfo=UK).astimezone(UTC)
    paid = Decimal(
        session.scalar(
            select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.destination_account_id == card.id,
                Payment.status == PaymentStatus.COMPLETED,
                Payment.completed_at >= since,
            )
        )
        or 0
    )
    owed = max(Decimal(0), -card.balance)
    return CardStatementView(
        account_id=card.id,
        issued_on=statement.issued_on,
        due_on=statement.due_on,
        statement_balance=statement.balance,
        minimum_payment=statement.minimum_payment,
        paid_since=paid,
        minimum_left=min(max(Decimal(0), statement.minimum_payment - paid), owed),
        statement_left=min(max(Decimal(0), statement.balance - paid), owed),
        owed_now=owed,
    )


def _repayment(session: Session, card: Account, choice: RepaymentChoice, named: Decimal | None) -> Decimal:
    owed = max(Decimal(0), -card.balance)
    if choice == RepaymentChoice.AMOUNT:
        if named is None:
            raise InvalidAmount()
        if owed == 0:
            raise NothingToRepay()
        if named > owed:
            raise RepaymentTooLarge()
        return named
    statement = _statement(session, card)
    repay = statement.minimum_left if choice == RepaymentChoice.MINIMUM else statement.statement_left
    if repay <= 0:
        raise NothingToRepay()
    return repay


def _payment_view(session: Session, p: Payment) -> PaymentView:
    source = session.get(Account, p.source_account_id)
    assert source is not None  # a foreign key
    return PaymentView(
        id=p.id,
        source_account_id=p.source_account_id,
        payee_id=p.payee_id,
        destination_account_id=p.destination_account_id,
        amount=p.amount,
        currency=source.currency,
        reference=p.reference,
        scheduled_for=p.scheduled_for,
        status=p.status,
        review_reason=p.review_reason,
        created_at=p.created_at,
        completed_at=p.completed_at,
        source_balance=source.balance,
        customer_id=p.customer_id,
    )


def _standing_order_view(o: StandingOrder) -> StandingOrderView:
    return StandingOrderView(
        id=o.id,
        source_account_id=o.source_account_id,
        payee_id=o.payee_id,
        amount=o.amount,
        frequency=o.frequency,
        next_date=o.next_date,
        reference=o.reference,
        status=o.status,
        created_at=o.created_at,
    )
