"""An ID number whose birthplace code python-stdnum half knows (the province, not the place:
130171 石家庄高新区, 620201 嘉峪关's streets) is refused in Chinese, not a KeyError and a 500."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import id_number_clean, id_number_make
from ledger.excel import Checked, _Cleaner


def _number(place: str) -> str:
    return id_number_make(123, place=place, born="20030101")


@pytest.mark.parametrize("place", ["130171", "620201"])
def test_a_half_known_birthplace_is_refused_by_registration(place):
    with pytest.raises(ValidationError) as refused:
        id_number_clean(_number(place))
    assert "身份证号无效" in refused.value.message_dict["id_number"][0]


@pytest.mark.parametrize("place", ["130171", "620201"])
def test_a_half_known_birthplace_is_refused_by_the_ledger_import(place):
    checked = Checked()
    cleaner = _Cleaner(checked, county=SimpleNamespace(pk=1, code="440104"))
    assert cleaner._id_number(2, _number(place)) == ""
    assert checked.error_count == 1 and "身份证号无效" in checked.errors[0].message


def test_a_known_birthplace_still_passes():
    assert id_number_clean(_number("440104")) == _number("440104")
