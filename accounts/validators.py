"""The personal-data rules (phones, ID numbers, masks in free text), kept free of models so that
every app can use them without importing another app."""

import datetime
import functools
import hashlib
import hmac
import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric


def normalize_phone(value: str) -> str:
    """A mainland mobile or landline number in national format, or ValidationError in Chinese."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("电话号码格式不正确：%(value)s") % {"value": raw}) from exc
    if not phonenumbers.is_valid_number(number) or number.country_code != 86:
        raise ValidationError(_("不是有效的中国大陆手机号或固定电话：%(value)s") % {"value": raw})
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "")


def mask_phone(value: str) -> str:
    """138****8000: enough to recognise, not enough to call."""
    digits = value or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(value: str) -> str:
    """z***@example.com: the domain stays (which school or provider), the person does not."""
    local, at, domain = (value or "").partition("@")
    if not at:
        return mask_text(value)
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    """张*, 欧阳** : the surname's first character, a star for each other (the verify page's)."""
    return f"{value[:1]}{'*' * max(len(value) - 1, 1)}" if value else ""


def mask_text(value: str) -> str:
    """wx***: for a WeChat id or similar handle."""
    return f"{value[:2]}***" if value else ""


def id_number_clean(value: str) -> str:
    """A valid 18-digit resident ID number, upper-cased, or a ValidationError in Chinese."""
    number = ric.compact(value or "").upper()
    if not _id_number_valid(number):
        raise ValidationError({"id_number": _("身份证号无效，请核对 18 位号码及最后一位校验码。")})
    return number


_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


def _id_number_valid(number: str) -> bool:
    """python-stdnum's rule (`ric.is_valid`), with the place-code lookup cached."""
    if not _ID_SHAPE.match(number) or ric.calc_check_digit(number) != number[-1]:
        return False
    try:
        ric.get_birth_date(number)
    except ValueError:
        return False
    return _place_known(number[:6], number[6:10])


@functools.lru_cache(maxsize=65536)
def _place_known(prefix: str, year: str) -> bool:
    """Was the place code in use in the year of birth (stdnum knows when codes changed). Cached:
    stdnum searches its table on every call, which was a third of a 50,000-row ledger import."""
    try:
        ric.get_birth_place(f"{prefix}{year}01010000")
    except (ValueError, KeyError):  # KeyError: stdnum 2.2 on a code it half knows (130171…)
        return False
    return True


def id_number_digest(number: str) -> str:
    """A keyed digest: finds the same person again without decrypting every row."""
    key = (settings.SECRET_KEY + settings.SALT_KEY[0]).encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def id_number_mask(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def id_number_set(instance, number: str) -> None:
    """Give a student or ledger entry this (clean) ID number, or none: the encrypted value, its
    digest and its mask always change together."""
    instance.id_number = number or None
    instance.id_number_digest = id_number_digest(number) if number else ""
    instance.id_number_masked = id_number_mask(number) if number else ""


def id_number_make(serial: int, *, place: str = "440104", born: str = "19990101") -> str:
    """A valid ID number for tests, the demo and benchmarks: `place` a six-digit code in use in
    the year of `born` (YYYYMMDD), `serial` the three-digit sequence (taken modulo 1000)."""
    body = f"{place}{born}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


# What a note typed by county staff may hold about a person: an ID number (18 or 15 digits,
# perhaps grouped 6-8-4, 6-4-4-4 or 4-4-4-4-2), a mobile (perhaps +86; perhaps grouped 3-4-4 or
# 4-3-4 with spaces, hyphens or dots, or the first three in brackets), a landline (area code
# with a hyphen, a space or brackets, or all 11 or 12 digits run together), an e-mail address.
# Letters may touch a number ("vx13912345678", "Tel13912345678"); another digit may not, so
# a longer number is never masked in part. An 11-digit number that looks like a mobile (a
# student number, a code) is masked too: for staff who only read, hiding a little too much is
# the safe side. What only looks like an ID number (a credit code, a long order number) has no
# birth date in it and is left alone, as are dates, amounts and shorter numbers.
_SEP = r"[-. ]?"


def _grouped(*sizes: int, last: str = r"\d") -> str:
    """Digits in groups of these sizes, each group maybe followed by one separator."""
    groups = [rf"\d{{{n}}}" for n in sizes]
    groups[-1] = rf"\d{{{sizes[-1] - 1}}}{last}" if sizes[-1] > 1 else last
    return _SEP.join(groups)


_ID_CHECK = r"[\dXx]"
_ID_NUMBER = "|".join(
    [
        _grouped(6, 8, 4, last=_ID_CHECK),
        _grouped(6, 4, 4, 4, last=_ID_CHECK),
        _grouped(4, 4, 4, 4, 2, last=_ID_CHECK),
        r"\d{15}",
    ]
)
_MOBILE = (
    rf"(?:(?:\+|00)?86{_SEP}|\(\+?86\){_SEP})?"
    rf"(?:1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}|1[3-9]\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{4}}"
    rf"|\(1[3-9]\d\){_SEP}\d{{4}}{_SEP}\d{{4}})"
)
_LANDLINE = (
    rf"(?:\(0\d{{2,3}}\){_SEP}|0\d{{2,3}}[-. ])\d{{3,4}}{_SEP}\d{{4}}"
    r"|0[1-9]\d{9,10}"
)
_PERSONAL_IN_TEXT = re.compile(
    rf"(?<!\d)(?:(?P<id>{_ID_NUMBER})|{_MOBILE}|{_LANDLINE})(?!\d)"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
# Full-width digits and punctuation (１３９…, （０２０）) are read as ASCII; nothing else in
# the text changes. One character for one, so a match's span is the same in both.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋Ｘｘ－．（）\u3000", "0123456789+Xx-.() ")


def _has_birth_date(number: str) -> bool:
    """Whether digits 7-14 (7-12 of an old 15-digit number) are a date: an ID number's are."""
    digits = re.sub(r"\D", "", number)
    birth = digits[6:14] if len(digits) >= 17 else "19" + digits[6:12]
    try:
        born = datetime.datetime.strptime(birth, "%Y%m%d")
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def mask_in_text(value: str) -> str:
    """Free text (a ledger note, a contact record) for staff who only read: ID numbers, phones
    and e-mail addresses in it masked as their own fields are."""

    def one(match: re.Match) -> str:
        found = match.group(0)
        if "@" in found:
            return mask_email(found)
        if match.group("id") is not None:
            if not _has_birth_date(found):
                return found
            return id_number_mask(found)
        return mask_phone(found)

    text = (value or "").translate(_FULL_WIDTH)
    if text == (value or ""):
        return _PERSONAL_IN_TEXT.sub(one, text)
    # Full-width digits: find on the ASCII reading, mask those spans of the original text.
    out, last = [], 0
    for match in _PERSONAL_IN_TEXT.finditer(text):
        masked = one(match)
        kept = masked == match.group(0)  # a credit code, say: left as typed, full-width too
        out += [value[last : match.start()], value[match.start() : match.end()] if kept else masked]
        last = match.end()
    return "".join(out) + value[last:]


class MixedCharactersValidator:
    """A password needs letters and digits: "qwertyuiop" and "1234567890" are the first guesses."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        if not (has_letter and has_digit):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_not_mixed")

    def get_help_text(self) -> str:
        return _("密码必须同时包含字母和数字。")


_LONG_DIGITS = re.compile(r"\d{5,}")


def mask_keyword(value: str) -> str:
    """A typed search keyword as it is kept (audit details, a notice's recipient filter): masked
    as free text is, and any other run of five or more digits (part of a phone, which county
    staff may search by) keeps only its first three, since readers above see the record too."""
    text = mask_in_text(value)
    return _LONG_DIGITS.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), text)
