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
