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
# perhaps grouped 6-8-4), a mobile (perhaps +86, perhaps grouped 3-4-4), a landline with its
# area code and hyphen, an e-mail address. An 11-digit number that looks like a mobile (a
# student number, say) is masked too: for staff who only read, hiding a little too much is
# the safe side.
_SEP = r"[- ]?"
_PERSONAL_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    rf"\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[\dXx]|\d{{15}}"
    rf"|(?:\+?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
    r"|0\d{2,3}-\d{7,8}"
    r")(?![0-9A-Za-z])"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
# Full-width digits (１３９…) are read as digits; nothing else in the text changes.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋Ｘｘ－", "0123456789+Xx-")


def mask_in_text(value: str) -> str:
    """Free text (a ledger note, a contact record) for staff who only read: ID numbers, phones
    and e-mail addresses in it masked as their own fields are."""

    def one(match: re.Match) -> str:
        found = match.group(0)
        if "@" in found:
            return mask_email(found)
        if sum(c.isdigit() for c in found) >= 15:
            return found[:4] + "*" * (len(found) - 8) + found[-4:]
        return mask_phone(found)

    text = (value or "").translate(_FULL_WIDTH)
    if text == (value or ""):
        return _PERSONAL_IN_TEXT.sub(one, text)
    # Full-width digits: find on the ASCII reading, mask those spans of the original text.
    out, last = [], 0
    for match in _PERSONAL_IN_TEXT.finditer(text):
        out += [value[last : match.start()], one(match)]
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
