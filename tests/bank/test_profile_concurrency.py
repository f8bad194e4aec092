"""Two transfers racing for the same money, or two cancellations of one transfer: exactly one
may win."""

import threading
import time
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import Engine, select, text

from bank.enums import TransferStatus
from bank.errors import InsufficientFunds, TransferAlreadyCancelled
from bank.models import Account, Transfer
from bank.store import ProfileStore

ALEX, CURRENT, SAVINGS = "cus_001", "acc_001_current", "acc_001_savings"


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _lock_waiters(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )


def test_two_transfers_exceeding_the_balance_together_cannot_both_succeed(
    store: ProfileStore, profile_engine: Engine, backend: str
):
    balance = next(a.balance for a in store.accounts(ALEX) if a.id == CURRENT)
    amount = (balance * Decimal("0.6")).quantize(Decimal("0.01"))  # each fits, both don't
    outcomes: list[str] = []

    def transfer() -> None:
        try:
            store.transfer(ALEX, CURRENT, SAVINGS, amount)
            outcomes.append("done")
        except InsufficientFunds:
            outcomes.append("insufficient")

    # Hold the source account so both transfers start and queue up behind this lock,
    # then release it: each must re-read the balance the other one left.
    with profile_engine.connect() as blocker:
        if backend == "sqlite":
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            blocker.execute(select(Account).where(Account.id == CURRENT).with_for_update())
        threads = [threading.Thread(target=transfer) for _ in range(2)]
        for thread in threads:
            thread.start()
        if backend == "sqlite":
            time.sleep(0.5)  # SQLite has no view of who is waiting
        else:
            assert _wait_until(lambda: _lock_waiters(profile_engine) >= 2)
        blocker.commit()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["done", "insufficient"]
    after = {a.id: a.balance for a in store.accounts(ALEX)}
    assert after[CURRENT] == balance - amount >= 0


def test_two_cancellations_of_one_transfer_at_once_cancel_it_once(
    store: ProfileStore, profile_engine: Engine, backend: str
):
    transfer_id = next(t.id for t in store.recent_transfers(ALEX) if t.status == TransferStatus.PENDING)
    outcomes: list[str] = []

    def cancel() -> None:
        try:
            store.cancel_transfer(ALEX, transfer_id)
            outcomes.append("cancelled")
        except TransferAlreadyCancelled:
            outcomes.append("already")

    with profile_engine.connect() as blocker:
        if backend == "sqlite":
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            blocker.execute(select(Transfer).where(Transfer.id == transfer_id).with_for_update())
        threads = [threading.Thread(target=cancel) for _ in range(2)]
        for thread in threads:
            thread.start()
        if backend == "sqlite":
            time.sleep(0.5)
        else:
            assert _wait_until(lambda: _lock_waiters(profile_engine) >= 2)
        blocker.commit()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already", "cancelled"]
