"""ProfileStore: what happened to payments, transfers and cards, on the seeded demo bank's
recent cases (pending, declined, doubled, foreign, a transfer that can still be cancelled)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, update

from bank.enums import (
    CardDeliveryStatus,
    StatusReason,
    TransactionKind,
    TransactionStatus,
    TransferStatus,
)
from bank.errors import (
    TransferAlreadyCancelled,
    TransferNotCancellable,
    UnknownCustomer,
    UnknownTransfer,
)
from bank.models import Transaction, Transfer
from bank.store import ProfileStore
from database.engine import session_factory

ALEX, PRIYA, MARGARET = "cus_001", "cus_002", "cus_004"
CURRENT, SAVINGS = "acc_001_current", "acc_001_savings"
UNKNOWN = "cus_404"
D, P = TransactionStatus.DECLINED, TransactionStatus.PENDING


def _balances(store: ProfileStore, customer_id: str = ALEX) -> dict[str, Decimal]:
    return {a.id: a.balance for a in store.accounts(customer_id)}


def _pending_transfer(store: ProfileStore) -> str:
    return next(t.id for t in store.recent_transfers(ALEX) if t.status == TransferStatus.PENDING)


# -- statuses -------------------------------------------------------------------------


def test_recent_transactions_show_money_that_moved_or_is_moving(store: ProfileStore):
    recent = store.recent_transactions(ALEX, limit=20)
    assert {t.status for t in recent} == {TransactionStatus.BOOKED, P}
    assert "AMAZON MARKETPLACE" in {t.description for t in recent if t.status == P}
    assert "ASOS.COM" not in {t.description for t in recent}  # declined: nothing moved


def test_declined_payments_carry_their_reason(store: ProfileStore):
    declined = store.transactions(ALEX, statuses={D})
    by_kind = {t.kind: t for t in declined}
    assert by_kind[TransactionKind.CARD_PAYMENT].status_reason == StatusReason.SUSPECTED_FRAUD
    assert by_kind[TransactionKind.CASH_WITHDRAWAL].status_reason == StatusReason.LIMIT_EXCEEDED
    assert by_kind[TransactionKind.CARD_TOP_UP].status_reason == StatusReason.ISSUER_DECLINED
    cards_only = store.transactions(ALEX, statuses={D}, kinds={TransactionKind.CARD_PAYMENT})
    assert [t.description for t in cards_only] == ["ASOS.COM"]


def test_pending_payments_and_transfers_in(store: ProfileStore):
    pending = store.transactions(ALEX, statuses={P})
    kinds = {t.kind for t in pending}
    assert {TransactionKind.CARD_PAYMENT, TransactionKind.BANK_TRANSFER_IN, TransactionKind.CHEQUE_DEPOSIT,
            TransactionKind.TRANSFER} <= kinds
    assert pending == sorted(pending, key=lambda t: t.booked_at, reverse=True)
    assert store.transactions(MARGARET, statuses={P}) == []


def test_only_booked_transactions_are_in_the_balance(store: ProfileStore, profile_engine: Engine):
    with session_factory(profile_engine)() as session:
        rows = session.scalars(select(Transaction).where(Transaction.account_id == CURRENT)).all()
    booked = sum(t.amount for t in rows if t.status == TransactionStatus.BOOKED)
    assert any(t.status != TransactionStatus.BOOKED for t in rows)
    assert _balances(store)[CURRENT] == booked


def test_foreign_payments_show_the_amount_charged_and_the_rate(store: ProfileStore):
    foreign = store.transactions(ALEX, foreign=True)
    assert {t.kind for t in foreign} == {TransactionKind.CARD_PAYMENT, TransactionKind.CASH_WITHDRAWAL}
    for t in foreign:
        assert t.original_currency == "EUR" and t.exchange_rate and t.original_amount
        assert t.amount == (t.original_amount / t.exchange_rate).quantize(Decimal("0.01"))
    assert store.transactions(MARGARET, foreign=True) == []


def test_a_payment_charged_twice_is_found_and_single_ones_are_not(store: ProfileStore):
    doubled = store.duplicate_charges(ALEX)
    assert len(doubled) == 1
    pair = doubled[0]
    assert pair.first.description == pair.second.description == "PRET A MANGER"
    assert pair.first.amount == pair.second.amount and pair.first.id != pair.second.id
    assert timedelta(0) <= pair.second.booked_at - pair.first.booked_at <= timedelta(minutes=15)
    assert store.duplicate_charges(MARGARET) == []


# -- cards in the post ----------------------------------------------------------------


def test_a_card_in_the_post_is_expected_after_today(store: ProfileStore):
    [delivery] = store.card_deliveries(ALEX)
    assert delivery.status == CardDeliveryStatus.DISPATCHED
    assert delivery.expected_by > datetime.now(UTC).date()
    assert delivery.dispatched_at is not None and delivery.ordered_at < delivery.dispatched_at
    assert store.card_deliveries(MARGARET) == []


# -- cancelling transfers -------------------------------------------------------------


def test_a_new_transfer_can_be_cancelled_once_and_no_money_moves(store: ProfileStore, profile_engine: Engine):
    latest = store.recent_transfers(ALEX)[0]
    assert latest.status == TransferStatus.PENDING and latest.can_cancel(datetime.now(UTC))
    before = _balances(store)

    cancelled = store.cancel_transfer(ALEX, latest.id)
    assert cancelled.status == TransferStatus.CANCELLED and cancelled.cancelled_at is not None
    assert not cancelled.can_cancel(datetime.now(UTC))
    assert _balances(store) == before
    with session_factory(profile_engine)() as session:
        legs = session.scalars(select(Transaction).where(Transaction.transfer_id == latest.id)).all()
    assert len(legs) == 2
    assert {(t.status, t.status_reason) for t in legs} == {
        (TransactionStatus.REVERTED, StatusReason.CANCELLED_BY_CUSTOMER)
    }

    with pytest.raises(TransferAlreadyCancelled):
        store.cancel_transfer(ALEX, latest.id)
    assert _balances(store) == before


def test_a_completed_transfer_cannot_be_cancelled(store: ProfileStore):
    completed = next(t for t in store.recent_transfers(ALEX) if t.status == TransferStatus.COMPLETED)
    before = _balances(store)
    with pytest.raises(TransferNotCancellable):
        store.cancel_transfer(ALEX, completed.id)
    made = store.transfer(ALEX, CURRENT, SAVINGS, Decimal("5.00"))  # made here: sent at once
    with pytest.raises(TransferNotCancellable):
        store.cancel_transfer(ALEX, made.id)
    assert _balances(store)[SAVINGS] == before[SAVINGS] + Decimal("5.00")


def test_a_transfer_cannot_be_cancelled_after_its_window(store: ProfileStore, profile_engine: Engine):
    transfer_id = _pending_transfer(store)
    with session_factory(profile_engine).begin() as session:
        session.execute(
            update(Transfer)
            .where(Transfer.id == transfer_id)
            .values(cancellable_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    with pytest.raises(TransferNotCancellable) as error:
        store.cancel_transfer(ALEX, transfer_id)
    assert transfer_id not in str(error.value)
    assert store.recent_transfers(ALEX)[0].status == TransferStatus.PENDING


@pytest.mark.parametrize("transfer_id", ["trf_002_0001", "trf_nothing", ""])
def test_another_customers_or_an_unknown_transfer_is_refused(store: ProfileStore, transfer_id: str):
    priya_before = store.recent_transfers(PRIYA, limit=100)
    with pytest.raises(UnknownTransfer) as error:
        store.cancel_transfer(ALEX, transfer_id)
    assert "trf_" not in str(error.value) and ALEX not in str(error.value)
    assert store.recent_transfers(PRIYA, limit=100) == priya_before


def test_unknown_customer_is_refused(store: ProfileStore):
    calls = [
        lambda: store.transactions(UNKNOWN),
        lambda: store.duplicate_charges(UNKNOWN),
        lambda: store.card_deliveries(UNKNOWN),
        lambda: store.recent_transfers(UNKNOWN),
        lambda: store.cancel_transfer(UNKNOWN, _pending_transfer(store)),
    ]
    for call in calls:
        with pytest.raises(UnknownCustomer):
            call()
    assert store.recent_transfers(ALEX)[0].status == TransferStatus.PENDING
