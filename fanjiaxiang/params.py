"""Query-string values read as numbers, one rule for every view.

`str.isdigit()` accepts "²" and "١٢", `int()` accepts "１２" and "1_000", and a 20-digit number
overflows an integer column (OverflowError on SQLite, DataError on PostgreSQL): each was a 500.
Here a number is ASCII digits only, short, and within the bounds the caller gives; anything else
is None, which a view treats as "no filter" or, for a lookup, as not found.
"""

YEAR_MIN, YEAR_MAX = 2000, 2100  # a programme year


def int_param(value: object, *, low: int = 0, high: int = 2**31 - 1) -> int | None:
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def year_param(value: object) -> int | None:
    return int_param(value, low=YEAR_MIN, high=YEAR_MAX)
