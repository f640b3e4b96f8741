"""An ID number whose birthplace code python-stdnum half knows (the province, not the place:
130171 石家庄高新区, 620201 嘉峪关's streets) is refused in Chinese, not a KeyError and a 500."""

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from ledger.excel import _id_number_clean as ledger_id_number_clean
from students.services import id_number_clean


def _number(place: str) -> str:
    body = f"{place}20030101123"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize("place", ["130171", "620201"])
def test_a_half_known_birthplace_is_refused_by_registration(place):
    with pytest.raises(ValidationError) as refused:
        id_number_clean(_number(place))
    assert "身份证号无效" in refused.value.message_dict["id_number"][0]


@pytest.mark.parametrize("place", ["130171", "620201"])
def test_a_half_known_birthplace_is_refused_by_the_ledger_import(place):
    with pytest.raises(ValidationError):
        ledger_id_number_clean(_number(place))


def test_a_known_birthplace_still_passes():
    assert id_number_clean(_number("440104")) == _number("440104")
