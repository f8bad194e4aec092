"""The demo bank's seven customers and the merchants and bills of their everyday life.

``bank.seed`` turns these specifications into accounts, cards and 90 days of transactions.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from bank.enums import (
    AccountKind,
    CardDeliveryReason,
    CardDeliveryStatus,
    Category,
    CreditBand,
    EmploymentStatus,
    StatusReason,
    TransactionKind,
    TransactionStatus,
)


@dataclass(frozen=True)
class AccountSpec:
    kind: AccountKind
    name: str
    number: str  # last four digits of the account number
    opening: Decimal  # balance 90 days ago (negative: owed on a credit card)
    credit_limit: Decimal | None = None
    card_last4: str | None = None


@dataclass(frozen=True)
class CustomerSpec:
    id: str
    first_name: str
    birth_year: int
    credit_band: CreditBand
    annual_income: Decimal
    employment_status: EmploymentStatus
    monthly_income: tuple[str, Decimal]  # (payer, net amount paid each month)
    housing: tuple[str, Decimal, Category]  # (payee, monthly amount, category)
    spend_level: float  # scales everyday spending
    monthly_saving: Decimal  # standing order from current to savings
    accounts: tuple[AccountSpec, ...]
    cancelled_card_last4: str | None = None  # an old card, replaced
    country_of_residence: str = "GB"


def _d(value: str) -> Decimal:
    return Decimal(value)


CUSTOMERS: tuple[CustomerSpec, ...] = (
    CustomerSpec(
        id="cus_001",
        first_name="Alex",
        birth_year=1991,
        credit_band=CreditBand.B,
        annual_income=_d("42000"),
        employment_status=EmploymentStatus.EMPLOYED,
        monthly_income=("ACME LOGISTICS LTD SALARY", _d("2684.50")),
        housing=("OAKWOOD LETTINGS RENT", _d("1150.00"), Category.RENT),
        spend_level=1.0,
        monthly_saving=_d("250.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Everyday Current", "4821", _d("1432.18"), card_last4="9012"),
            AccountSpec(AccountKind.SAVINGS, "Rainy Day Saver", "7310", _d("5820.00")),
            AccountSpec(
                AccountKind.CREDIT_CARD,
                "Platinum Credit Card",
                "5567",
                _d("-212.40"),
                credit_limit=_d("3000.00"),
                card_last4="5567",
            ),
        ),
    ),
    CustomerSpec(
        id="cus_002",
        first_name="Priya",
        birth_year=1985,
        credit_band=CreditBand.A,
        annual_income=_d("78000"),
        employment_status=EmploymentStatus.EMPLOYED,
        monthly_income=("NORTHWIND HEALTH NHS TRUST", _d("4412.90")),
        housing=("HALIFAX MORTGAGE", _d("1480.00"), Category.RENT),
        spend_level=1.6,
        monthly_saving=_d("600.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Everyday Current", "3307", _d("3120.55"), card_last4="4410"),
            AccountSpec(AccountKind.SAVINGS, "Holiday Saver", "9921", _d("8400.00")),
            AccountSpec(AccountKind.ISA, "Cash ISA", "6604", _d("15250.00")),
            AccountSpec(
                AccountKind.CREDIT_CARD,
                "Rewards Credit Card",
                "1288",
                _d("-845.10"),
                credit_limit=_d("8000.00"),
                card_last4="1288",
            ),
        ),
    ),
    CustomerSpec(
        id="cus_003",
        first_name="Tom",
        birth_year=2002,
        credit_band=CreditBand.D,
        annual_income=_d("14500"),
        employment_status=EmploymentStatus.STUDENT,
        monthly_income=("CORNER CAFE PAYROLL", _d("905.00")),
        housing=("UNITE STUDENTS RENT", _d("620.00"), Category.RENT),
        spend_level=0.55,
        monthly_saving=_d("20.00"),
        cancelled_card_last4="0417",
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Student Current", "1186", _d("640.00"), card_last4="7735"),
            AccountSpec(AccountKind.SAVINGS, "Easy Saver", "2250", _d("310.00")),
        ),
    ),
    CustomerSpec(
        id="cus_004",
        first_name="Margaret",
        birth_year=1954,
        credit_band=CreditBand.A,
        annual_income=_d("24000"),
        employment_status=EmploymentStatus.RETIRED,
        monthly_income=("DWP STATE PENSION", _d("1760.00")),
        housing=("COUNCIL TAX", _d("168.00"), Category.UTILITIES),
        spend_level=0.7,
        monthly_saving=_d("150.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Everyday Current", "5049", _d("2280.00"), card_last4="6621"),
            AccountSpec(AccountKind.SAVINGS, "Rainy Day Saver", "8832", _d("21400.00")),
            AccountSpec(AccountKind.ISA, "Cash ISA", "4472", _d("19800.00")),
        ),
    ),
    CustomerSpec(
        id="cus_005",
        first_name="Kwame",
        birth_year=1978,
        credit_band=CreditBand.C,
        annual_income=_d("55000"),
        employment_status=EmploymentStatus.SELF_EMPLOYED,
        monthly_income=("OSEI DESIGN LTD DIVIDEND", _d("3350.00")),
        housing=("NATIONWIDE MORTGAGE", _d("1320.00"), Category.RENT),
        spend_level=1.3,
        monthly_saving=_d("300.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Everyday Current", "7718", _d("1890.00"), card_last4="3390"),
            AccountSpec(AccountKind.SAVINGS, "Tax Pot Saver", "6135", _d("4100.00")),
            AccountSpec(
                AccountKind.CREDIT_CARD,
                "Platinum Credit Card",
                "9043",
                _d("-1630.75"),
                credit_limit=_d("5000.00"),
                card_last4="9043",
            ),
        ),
    ),
    CustomerSpec(
        id="cus_006",
        first_name="Sofia",
        birth_year=1997,
        credit_band=CreditBand.E,
        annual_income=_d("11800"),
        employment_status=EmploymentStatus.UNEMPLOYED,
        monthly_income=("DWP UNIVERSAL CREDIT", _d("985.00")),
        housing=("RIVERSIDE HOUSING RENT", _d("540.00"), Category.RENT),
        spend_level=0.5,
        monthly_saving=_d("0.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Basic Current", "2093", _d("420.00"), card_last4="8154"),
            AccountSpec(AccountKind.SAVINGS, "Easy Saver", "3371", _d("65.00")),
        ),
    ),
    CustomerSpec(
        id="cus_007",
        first_name="Daniel",
        birth_year=1969,
        country_of_residence="IE",
        credit_band=CreditBand.C,
        annual_income=_d("36000"),
        employment_status=EmploymentStatus.EMPLOYED,
        monthly_income=("GREENFIELD SCHOOLS SALARY", _d("2350.00")),
        housing=("LLOYDS MORTGAGE", _d("890.00"), Category.RENT),
        spend_level=0.9,
        monthly_saving=_d("200.00"),
        accounts=(
            AccountSpec(AccountKind.CURRENT, "Everyday Current", "6402", _d("1210.00"), card_last4="2276"),
            AccountSpec(AccountKind.SAVINGS, "Rainy Day Saver", "1567", _d("2950.00")),
            AccountSpec(AccountKind.ISA, "Stocks and Shares ISA", "8810", _d("12600.00")),
        ),
    ),
)

# (merchant, category, low, high, mean visits per week) of everyday card spending
EVERYDAY_SPENDING: tuple[tuple[str, Category, float, float, float], ...] = (
    ("TESCO STORES", Category.GROCERIES, 14.0, 85.0, 1.2),
    ("SAINSBURYS", Category.GROCERIES, 8.0, 60.0, 0.8),
    ("ALDI", Category.GROCERIES, 12.0, 55.0, 0.5),
    ("TFL TRAVEL CHARGE", Category.TRANSPORT, 2.8, 8.9, 2.0),
    ("TRAINLINE", Category.TRANSPORT, 12.0, 68.0, 0.2),
    ("PRET A MANGER", Category.EATING_OUT, 4.5, 11.0, 1.0),
    ("DELIVEROO", Category.EATING_OUT, 16.0, 38.0, 0.5),
    ("THE RED LION", Category.EATING_OUT, 9.0, 45.0, 0.4),
    ("AMAZON MARKETPLACE", Category.SHOPPING, 6.0, 75.0, 0.5),
    ("BOOTS", Category.SHOPPING, 4.0, 30.0, 0.3),
    ("CASH WITHDRAWAL ATM", Category.CASH, 20.0, 60.0, 0.15),
    ("VUE CINEMAS", Category.ENTERTAINMENT, 9.0, 24.0, 0.15),
)
# (payee, category, amount, day of month) paid by direct debit every month
MONTHLY_BILLS: tuple[tuple[str, Category, Decimal, int], ...] = (
    ("OCTOPUS ENERGY", Category.UTILITIES, _d("96.00"), 3),
    ("THAMES WATER", Category.UTILITIES, _d("38.50"), 8),
    ("VODAFONE", Category.UTILITIES, _d("24.00"), 12),
    ("NETFLIX.COM", Category.ENTERTAINMENT, _d("10.99"), 15),
    ("SPOTIFY", Category.ENTERTAINMENT, _d("11.99"), 19),
    ("PUREGYM", Category.ENTERTAINMENT, _d("24.99"), 2),
)
CREDIT_CARD_SPENDING: tuple[tuple[str, Category, float, float], ...] = (
    ("JOHN LEWIS", Category.SHOPPING, 25.0, 180.0),
    ("BRITISH AIRWAYS", Category.OTHER, 80.0, 320.0),
    ("ZARA", Category.SHOPPING, 20.0, 90.0),
    ("DISHOOM", Category.EATING_OUT, 35.0, 95.0),
)


TRANSFER_CANCEL_WINDOW = timedelta(minutes=30)  # a new transfer can be cancelled for this long


@dataclass(frozen=True)
class RecentCase:
    """A transaction of the last few days that customers ask about: pending, declined,
    reverted, charged twice, in another currency.

    ``foreign`` is (amount charged, its currency, rate per pound); ``_abroad`` converts it
    (the bank charges no fee on card spending abroad: bank/policy.yml).
    """

    account: AccountKind
    when: tuple[int, str]  # (days before today, "HH:MM" UK time); today's are kept in the past
    amount: Decimal  # negative for money leaving the account
    description: str
    category: Category
    kind: TransactionKind
    status: TransactionStatus = TransactionStatus.BOOKED
    reason: StatusReason | None = None
    foreign: tuple[Decimal, str, Decimal] | None = None


def _abroad(
    when: tuple[int, str],
    original: Decimal,
    currency: str,
    rate: Decimal,
    description: str,
    category: Category,
    kind: TransactionKind,
) -> RecentCase:
    """A booked card payment or cash withdrawal in ``currency`` from the current account."""
    converted = (original / rate).quantize(Decimal("0.01"))
    return RecentCase(AccountKind.CURRENT, when, converted, description, category, kind,
                      foreign=(original, currency, rate))


@dataclass(frozen=True)
class PendingTransfer:
    """A transfer made moments before seeding, still inside its cancellation window."""

    source: AccountKind
    destination: AccountKind
    amount: Decimal
    minutes_ago: int
    reference: str


@dataclass(frozen=True)
class CardInThePost:
    account: AccountKind
    last4: str
    reason: CardDeliveryReason
    status: CardDeliveryStatus
    ordered_days_ago: int
    dispatched_days_ago: int | None
    expected_in_days: int


_B = TransactionStatus.BOOKED
_P = TransactionStatus.PENDING
_D = TransactionStatus.DECLINED
_R = TransactionStatus.REVERTED
_CURRENT = AccountKind.CURRENT
_CARD = TransactionKind.CARD_PAYMENT

RECENT_CASES: dict[str, tuple[RecentCase, ...]] = {
    "cus_001": (
        _abroad((5, "13:42"), _d("-48.60"), "EUR", _d("1.152000"), "CAFE DE FLORE PARIS", Category.EATING_OUT,
                _CARD),
        _abroad((4, "22:15"), _d("-100.00"), "EUR", _d("1.149000"), "CAIXABANK ATM BARCELONA",
                Category.CASH, TransactionKind.CASH_WITHDRAWAL),
        RecentCase(_CURRENT, (2, "19:05"), _d("-300.00"), "CASH WITHDRAWAL ATM", Category.CASH,
                   TransactionKind.CASH_WITHDRAWAL, _D, StatusReason.LIMIT_EXCEEDED),
        RecentCase(_CURRENT, (1, "08:31"), _d("-7.85"), "PRET A MANGER", Category.EATING_OUT, _CARD),
        RecentCase(_CURRENT, (1, "08:33"), _d("-7.85"), "PRET A MANGER", Category.EATING_OUT, _CARD),
        RecentCase(_CURRENT, (1, "12:47"), _d("-129.00"), "ASOS.COM", Category.SHOPPING, _CARD, _D,
                   StatusReason.SUSPECTED_FRAUD),
        RecentCase(_CURRENT, (1, "17:20"), _d("100.00"), "Top-up from card ending 3344", Category.OTHER,
                   TransactionKind.CARD_TOP_UP, _D, StatusReason.ISSUER_DECLINED),
        RecentCase(_CURRENT, (1, "11:05"), _d("250.00"), "Cheque paid in at branch", Category.OTHER,
                   TransactionKind.CHEQUE_DEPOSIT, _P),
        RecentCase(_CURRENT, (0, "09:40"), _d("120.00"), "J SMITH", Category.TRANSFER,
                   TransactionKind.BANK_TRANSFER_IN, _P),
        RecentCase(_CURRENT, (1, "20:18"), _d("-34.99"), "AMAZON MARKETPLACE", Category.SHOPPING, _CARD, _P),
    ),
    "cus_002": (
        RecentCase(AccountKind.CREDIT_CARD, (3, "10:12"), _d("-212.00"), "BRITISH AIRWAYS", Category.OTHER,
                   _CARD, _R, StatusReason.MERCHANT_REVERSED),
        RecentCase(_CURRENT, (2, "16:40"), _d("500.00"), "Top-up from card ending 8812", Category.OTHER,
                   TransactionKind.CARD_TOP_UP, _R, StatusReason.ISSUER_DECLINED),
        RecentCase(_CURRENT, (1, "18:02"), _d("-64.20"), "TESCO STORES", Category.GROCERIES, _CARD, _P),
    ),
    "cus_003": (
        RecentCase(_CURRENT, (1, "21:30"), _d("-45.00"), "STEAM GAMES", Category.ENTERTAINMENT, _CARD, _D,
                   StatusReason.INSUFFICIENT_FUNDS),
    ),
}
PENDING_TRANSFERS: dict[str, PendingTransfer] = {
    "cus_001": PendingTransfer(_CURRENT, AccountKind.SAVINGS, _d("200.00"), 4, "HOLIDAY FUND"),
}
CARDS_IN_THE_POST: dict[str, CardInThePost] = {
    "cus_001": CardInThePost(_CURRENT, "3107", CardDeliveryReason.RENEWAL, CardDeliveryStatus.DISPATCHED,
                             ordered_days_ago=4, dispatched_days_ago=2, expected_in_days=3),
    "cus_003": CardInThePost(_CURRENT, "7735", CardDeliveryReason.REPLACEMENT, CardDeliveryStatus.DELIVERED,
                             ordered_days_ago=40, dispatched_days_ago=39, expected_in_days=-35),
}


@dataclass(frozen=True)
class DemoLogin:
    """A demo customer's login at the local identity provider: the provider knows the login
    name and the opaque subject; the bank maps the subject to its customer id."""

    login: str
    subject: str
    customer_id: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("alex", "45f625d41ef6a69a9bd08e8a", "cus_001"),
    DemoLogin("priya", "888e560554a33a9e5984489b", "cus_002"),
    DemoLogin("tom", "0bc8d77dda84f510ffcfd687", "cus_003"),
    DemoLogin("margaret", "b76ea3aa0a17052dd96b0a31", "cus_004"),
    DemoLogin("kwame", "395aa52c7aea4bdd955c495c", "cus_005"),
    DemoLogin("sofia", "825f69e68889bea1dda85e8d", "cus_006"),
    DemoLogin("daniel", "f74a48b83eef723d4cac3fe2", "cus_007"),
)
