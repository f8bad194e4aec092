"""The values every store checks and makes: amounts to the penny, payment references, row ids,
an account's available money and an existing customer."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from bank.errors import InvalidAmount, InvalidReference, UnknownCustomer
from bank.models import Account, Customer

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")  # well inside Numeric(14, 2)
_REFERENCE = re.compile(r"[A-Za-z0-9 .\-/&]{1,18}")


def require_customer(session: Session, customer_id: str) -> None:
    """Raise ``UnknownCustomer`` unless the customer exists."""
    if session.get(Customer, customer_id) is None:
        raise UnknownCustomer()


def available(account: Account) -> Decimal:
    """The money an account can pay out: its balance and any unused credit limit."""
    return account.balance + (account.credit_limit or Decimal(0))


def valid_amount(amount: Decimal | int | str, allow_zero: bool = False) -> Decimal:
    """``amount`` as a positive Decimal to the penny (``InvalidAmount`` otherwise)."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise InvalidAmount() from None
    if not value.is_finite() or value != value.quantize(CENT) or value >= MAX_AMOUNT:
        raise InvalidAmount()
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidAmount()
    return value.quantize(CENT)


def valid_reference(reference: str | None) -> str | None:
    """A payment reference of up to 18 letters, digits, spaces or ``. - / &``; None if blank."""
    if reference is None or not reference.strip():
        return None
    reference = reference.strip()
    if not _REFERENCE.fullmatch(reference):
        raise InvalidReference()
    return reference


def new_id(prefix: str) -> str:
    """A new row id: ``prefix`` and 20 random hex digits."""
    return f"{prefix}_{uuid.uuid4().hex[:20]}"
