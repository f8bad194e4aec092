"""The people and businesses a customer pays, and the payee check that names are right.

``PayeeStore.check_payee`` answers in the spirit of UK Confirmation of Payee from the
``payee_directory`` table: an account the directory does not hold, at a sort code it knows,
is ``no_match``; a sort code it does not know, or a bank outside the scheme, is
``unavailable``. Payees keep their whole sort code and account number (payments need them);
every view masks them.
"""


from sqlalchemy import select
from sqlalchemy.orm import Session

from bank.enums import HolderKind, PayeeCheckOutcome, PaymentStatus, StandingOrderStatus
from bank.errors import DuplicatePayee, PaymentToSelf, UnknownPayee
from bank.models import Account, Payee, PayeeDirectoryEntry, Payment, StandingOrder
from bank.models import utcnow as _utcnow
from bank.payee_names import (
    compare_names,
    mask_account_number,
    mask_sort_code,
    valid_account_number,
    valid_name,
    valid_sort_code,
)
from bank.sessions import Store, writing
from bank.values import new_id, require_customer
from bank.views import PayeeCheckView, PayeeView


class PayeeStore(Store):
    """Customers' payees (list, add, rename, remove) and the payee check."""

    def check_payee(
        self, sort_code: str, account_number: str, name: str, business: bool = False
    ) -> PayeeCheckView:
        """Whether ``name`` is the name on the account (the customer sees the answer before
        adding the payee or paying).

        Args:
            business: the customer says the account is a business's.

        Raises:
            InvalidSortCode, InvalidAccountNumber, InvalidPayeeName: the details are malformed.
        """
        sort_code, account_number = valid_sort_code(sort_code), valid_account_number(account_number)
        name = valid_name(name)
        with self._sessions() as session:
            check, _entry = _check(session, sort_code, account_number, name, business)
            return check

    def payees(self, customer_id: str) -> list[PayeeView]:
        """The customer's payees (removed ones left out), by display name.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            rows = session.scalars(
                select(Payee)
                .where(Payee.customer_id == customer_id, Payee.removed_at.is_(None))
                .order_by(Payee.id)
            )
            # Sorted here: the names are sealed in the database, so SQL can't order by them.
            views = [_payee_view(p) for p in rows]
        return sorted(views, key=lambda v: (v.display_name.casefold(), v.id))

    def get_payee(self, customer_id: str, payee_id: str) -> PayeeView:
        """One of the customer's payees.

        Raises:
            UnknownCustomer: no such customer.
            UnknownPayee: no such payee among the customer's (or it was removed).
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            return _payee_view(find_payee(session, customer_id, payee_id))

    def add_payee(
        self,
        customer_id: str,
        name: str,
        sort_code: str,
        account_number: str,
        *,
        business: bool = False,
        display_name: str | None = None,
    ) -> PayeeView:
        """Add a payee after checking the name; the check's outcome is kept with it (the
        caller shows a close or no match to the customer first, through ``check_payee``).

        Args:
            name: the account holder's name, as the customer gives it.
            business: the account is a business's.
            display_name: what the customer calls the payee (default: ``name``).

        Raises:
            InvalidSortCode, InvalidAccountNumber, InvalidPayeeName: the details are malformed.
            UnknownCustomer: no such customer.
            PaymentToSelf: the account is one of the customer's own.
            DuplicatePayee: the customer already has a payee with that account.
        """
        sort_code, account_number = valid_sort_code(sort_code), valid_account_number(account_number)
        name = valid_name(name)
        display = valid_name(display_name) if display_name is not None else name
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            check, entry = _check(session, sort_code, account_number, name, business)
            if entry is not None and entry.account_id is not None:
                owner = session.scalar(select(Account.customer_id).where(Account.id == entry.account_id))
                if owner == customer_id:
                    raise PaymentToSelf()
            duplicate = session.scalar(
                select(Payee.id).where(
                    Payee.customer_id == customer_id,
                    Payee.sort_code == sort_code,
                    Payee.account_number == account_number,
                    Payee.removed_at.is_(None),
                )
            )
            if duplicate is not None:
                raise DuplicatePayee()
            payee = Payee(
                id=new_id("payee"),
                customer_id=customer_id,
                display_name=display,
                holder_name=name,
                holder_kind=HolderKind.BUSINESS if business else HolderKind.PERSONAL,
                sort_code=sort_code,
                account_number=account_number,
                check_outcome=check.outcome,
                created_at=_utcnow(),
            )
            session.add(payee)
            session.flush()
            return _payee_view(payee)

    def rename_payee(self, customer_id: str, payee_id: str, display_name: str) -> PayeeView:
        """Change what the customer calls a payee (the account holder's name stays).

        Raises:
            InvalidPayeeName: the new name is malformed.
            UnknownCustomer: no such customer.
            UnknownPayee: no such payee among the customer's.
        """
        display = valid_name(display_name)
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            payee = find_payee(session, customer_id, payee_id, lock=True)
            payee.display_name = display
            session.flush()
            return _payee_view(payee)

    def remove_payee(self, customer_id: str, payee_id: str) -> PayeeView:
        """Remove a payee; its active standing orders and its scheduled payments and those
        held for review are cancelled with it. Payments already sent keep referring to it.

        Raises:
            UnknownCustomer: no such customer.
            UnknownPayee: no such payee among the customer's (or it was already removed).
        """
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            payee = find_payee(session, customer_id, payee_id, lock=True)
            now = _utcnow()
            payee.removed_at = now
            for order in session.scalars(
                select(StandingOrder).where(
                    StandingOrder.payee_id == payee.id, StandingOrder.status == StandingOrderStatus.ACTIVE
                )
            ):
                order.status, order.cancelled_at = StandingOrderStatus.CANCELLED, now
            for payment in session.scalars(
                select(Payment).where(
                    Payment.payee_id == payee.id,
                    Payment.status.in_([PaymentStatus.SCHEDULED, PaymentStatus.REVIEW]),
                )
            ):
                payment.status, payment.cancelled_at = PaymentStatus.CANCELLED, now
            session.flush()
            return _payee_view(payee)


def _check(
    session: Session, sort_code: str, account_number: str, name: str, business: bool
) -> tuple[PayeeCheckView, PayeeDirectoryEntry | None]:
    entry = session.get(PayeeDirectoryEntry, (sort_code, account_number))
    if entry is None:
        known = session.scalar(
            select(PayeeDirectoryEntry.sort_code)
            .where(PayeeDirectoryEntry.sort_code == sort_code, PayeeDirectoryEntry.in_scheme.is_(True))
            .limit(1)
        )
        outcome = PayeeCheckOutcome.NO_MATCH if known else PayeeCheckOutcome.UNAVAILABLE
        return PayeeCheckView(outcome), None
    if not entry.in_scheme:
        return PayeeCheckView(PayeeCheckOutcome.UNAVAILABLE), entry
    is_business = entry.holder_kind == HolderKind.BUSINESS
    outcome = compare_names(name, entry.holder_name, business=is_business or business).outcome
    offered = entry.holder_name if outcome == PayeeCheckOutcome.CLOSE_MATCH else None
    return PayeeCheckView(outcome, offered, business_mismatch=is_business != business), entry


def find_payee(session: Session, customer_id: str, payee_id: str, lock: bool = False) -> Payee:
    """The customer's payee ``payee_id`` (not removed), locked if asked; ``UnknownPayee`` if none."""
    query = select(Payee).where(
        Payee.id == payee_id, Payee.customer_id == customer_id, Payee.removed_at.is_(None)
    )
    payee = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if payee is None:
        raise UnknownPayee()
    return payee


def _payee_view(p: Payee) -> PayeeView:
    return PayeeView(
        id=p.id,
        display_name=p.display_name,
        holder_name=p.holder_name,
        holder_kind=p.holder_kind,
        masked_sort_code=mask_sort_code(p.sort_code),
        masked_account_number=mask_account_number(p.account_number),
        check_outcome=p.check_outcome,
        created_at=p.created_at,
    )
