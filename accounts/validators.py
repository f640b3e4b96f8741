import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


def mask_text(value: str) -> str:
    """wx***: for a WeChat id or similar handle."""
    return f"{value[:2]}***" if value else ""


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
            return found[:4] + "*" * (len(found) - 8) + found[-4:]
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
