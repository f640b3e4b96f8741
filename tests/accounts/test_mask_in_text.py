"""What city and provincial staff read of a note county staff typed: the person's numbers and
addresses masked however they were written, the rest of the note as it was."""

import pytest

from accounts.validators import mask_in_text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("父亲电话13912345678，请联系", "父亲电话139****5678，请联系"),
        ("手机 +8613912345678", "手机 +86*******5678"),
        ("电话：+86 139 1234 5678。", "电话：+86**********5678。"),
        ("139 1234 5678", "139******5678"),
        ("139-1234-5678", "139******5678"),
        ("身份证44010419990101123X", "身份证4401**********123X"),
        ("身份证 440104 19990101 123X", "身份证 4401************123X"),
        ("旧证440104990101123", "旧证4401*******1123"),
        ("座机020-83001234", "座机020*****1234"),
        ("邮箱 zhang.san@qq.com。", "邮箱 z***@qq.com。"),
        ("邮箱zhang.san@qq.com", "邮箱z***@qq.com"),
        ("全角１３９１２３４５６７８，好", "全角139****5678，好"),
    ],
)
def test_numbers_and_addresses_are_masked_however_written(typed, read):
    assert mask_in_text(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "2023-07-01 至 2023-08-31 在岗，20230701 报到",
        "补贴15000元，共 120 小时",
        "学号2023123456，合同编号 0201234567，订单 ABC13912345678",
        "高三（1）班，2019届，座号 12",
        "，。！？（全角标点不变）",
    ],
)
def test_dates_amounts_and_other_numbers_stay_as_typed(typed):
    assert mask_in_text(typed) == typed
