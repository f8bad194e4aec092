"""Regular expressions for calendar dates, shared by the date and date-of-birth recognizers."""

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
NUMERIC_DATE = (
    r"(?<![\w/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|"
    + YEAR
    + r"[/.\-]\d{1,2}[/.\-]\d{1,2})(?![\d/\-]|\.\d)"
)
# A time after a date: "10:30", "T10:30:00Z", "at 3pm", "14:00 +0100".
TIME = (
    r"(?:(?:[ T]|,? at )\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[ap]\.?m\.?)?|\s?[ap]\.?m\.?)"
    r"(?:\s?(?:Z|UTC|GMT|[+\-]\d{2}:?\d{2})\b)?)?"
)
WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?"
WORDED_DATE = (
    r"\b"
    + WEEKDAY
    + r"(?:"
    + DAY
    + r"(?: of)? "
    + MONTH
    + r",? "
    + YEAR
    + r"|"
    + MONTH
    + r" "
    + DAY
    + r",? "
    + YEAR
    + r"|"
    + DAY
    + r"-"
    + MONTH
    + r"-(?:"
    + YEAR
    + r"|\d{2}))\b"
)
# The compact forms of statements and records: "21-May", "May-21", "May-2021" (hyphenated, no
# spaces: "3 March" and "December 2025" are how a customer names a payment's day or month);
# "5/21", "05/2021" (a month, then a day past 12 or a year: "1/2" and "3/4" stay fractions,
# "24/7" stays a phrase).
COMPACT_DATE = (
    r"(?<![\w/.\-])(?:"
    + DAY
    + r"-"
    + MONTH
    + r"|"
    + MONTH
    + r"-(?:"
    + YEAR
    + r"|"
    + DAY
    + r")|(?:0?[1-9]|1[0-2])/(?:"
    + YEAR
    + r"|1[3-9]|2\d|3[01]))(?![\w/\-]|[.,]\d)"
)
