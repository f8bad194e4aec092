"""The closed sets of values the profile store uses (stored as their lowercase values)."""

from enum import StrEnum


class AccountKind(StrEnum):
    CURRENT = "current"
    SAVINGS = "savings"
    ISA = "isa"
    CREDIT_CARD = "credit_card"


class CardKind(StrEnum):
    """Debit cards belong to current accounts, credit cards to credit card accounts."""

    DEBIT = "debit"
    CREDIT = "credit"


class CardStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CANCELLED = "cancelled"


class Category(StrEnum):
    GROCERIES = "groceries"
    RENT = "rent"
    SALARY = "salary"
    TRANSPORT = "transport"
    EATING_OUT = "eating_out"
    UTILITIES = "utilities"
    ENTERTAINMENT = "entertainment"
    SHOPPING = "shopping"
    TRANSFER = "transfer"
    CASH = "cash"
    OTHER = "other"


class CreditBand(StrEnum):
    """Internal credit band, A (best) to E."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class EmploymentStatus(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    STUDENT = "student"
    RETIRED = "retired"
    UNEMPLOYED = "unemployed"


class GoalType(StrEnum):
    SAVE = "save"
    BORROW = "borrow"
    INVEST = "invest"
    PROTECT = "protect"


class RiskTolerance(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class TransactionKind(StrEnum):
    """How the money moved (the category says what it was for)."""

    CARD_PAYMENT = "card_payment"
    CASH_WITHDRAWAL = "cash_withdrawal"
    DIRECT_DEBIT = "direct_debit"
    TRANSFER = "transfer"  # between the customer's own accounts
    BANK_TRANSFER_IN = "bank_transfer_in"  # received from another bank (a salary, a top-up)
    CARD_TOP_UP = "card_top_up"  # money added with a card from another bank
    CASH_DEPOSIT = "cash_deposit"
    CHEQUE_DEPOSIT = "cheque_deposit"
    INTEREST = "interest"
    PAYMENT = "payment"  # sent to someone else's account (a payee)
    OTHER = "other"


TOP_UP_KINDS = frozenset(
    {
        TransactionKind.CARD_TOP_UP,
        TransactionKind.BANK_TRANSFER_IN,
        TransactionKind.CASH_DEPOSIT,
        TransactionKind.CHEQUE_DEPOSIT,
    }
)


class TransactionStatus(StrEnum):
    """Only booked transactions count in a balance."""

    BOOKED = "booked"
    PENDING = "pending"  # authorised or received, not booked yet
    DECLINED = "declined"  # refused: no money moved
    REVERTED = "reverted"  # taken back before or after booking: no money moved in the end


class StatusReason(StrEnum):
    """Why a transaction was declined or reverted."""

    INSUFFICIENT_FUNDS = "insufficient_funds"
    CARD_FROZEN = "card_frozen"
    INCORRECT_PIN = "incorrect_pin"
    SUSPECTED_FRAUD = "suspected_fraud"
    LIMIT_EXCEEDED = "limit_exceeded"
    CARD_EXPIRED = "card_expired"
    ISSUER_DECLINED = "issuer_declined"  # the other bank refused (a top-up card, a sender)
    DETAILS_MISMATCH = "details_mismatch"  # name or account details did not match
    MERCHANT_REVERSED = "merchant_reversed"  # the shop cancelled or refunded it
    CANCELLED_BY_CUSTOMER = "cancelled_by_customer"


class TransferStatus(StrEnum):
    PENDING = "pending"  # not sent yet: can be cancelled until ``cancellable_until``
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class CardDeliveryReason(StrEnum):
    NEW = "new"
    REPLACEMENT = "replacement"  # after a lost, stolen or damaged card
    RENEWAL = "renewal"  # the old card expires


class CardDeliveryStatus(StrEnum):
    ORDERED = "ordered"
    DISPATCHED = "dispatched"
    DELIVERED = "delivered"


class HolderKind(StrEnum):
    """Whether an account is held by a person or a business (Confirmation of Payee asks)."""

    PERSONAL = "personal"
    BUSINESS = "business"


class PayeeCheckOutcome(StrEnum):
    """The answer of a payee check on the name the customer typed."""

    MATCH = "match"
    CLOSE_MATCH = "close_match"  # the name on record is offered instead
    NO_MATCH = "no_match"
    UNAVAILABLE = "unavailable"  # the payee's bank could not be asked


class PaymentStatus(StrEnum):
    COMPLETED = "completed"  # the money left the account
    SCHEDULED = "scheduled"  # to be sent on ``scheduled_for``
    CANCELLED = "cancelled"
    REVIEW = "review"  # held for screening: no money moves until released
    FAILED = "failed"


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class StandingOrderStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class RepaymentChoice(StrEnum):
    """How much of a credit card to repay."""

    MINIMUM = "minimum"  # what is left of the statement's minimum payment
    FULL = "full"  # what is left of the statement balance
    AMOUNT = "amount"  # an amount the customer names
