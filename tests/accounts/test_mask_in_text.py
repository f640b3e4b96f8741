"""What city and provincial staff read of a note county staff typed: the person's numbers and
addresses masked however they were written, the rest of the note as it was."""

import pytest

from accounts.validators import mask_in_text, mask_keyword


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
        # Mobiles written with dots, brackets or grouped 4-3-4.
        ("电话139.1234.5604", "电话139******5604"),
        ("电话(139)1234-5605。", "电话(13*******5605。"),
        ("电话（139）1234－5605", "电话(13*******5605"),
        ("1391 234 5606", "139******5606"),
        ("+86 1391 234 5606", "+86**********5606"),
        # ASCII letters run straight into the number: 微信 vx, Tel, wx, mobile.
        ("微信vx13912345607", "微信vx139****5607"),
        ("Tel13912345608", "Tel139****5608"),
        ("wx:13912345609 / mobile13912345610", "wx:139****5609 / mobile139****5610"),
        ("13912345611wx同号", "139****5611wx同号"),
        # An 11-digit mobile-like number is masked even inside a code (hide a little too much).
        ("订单 ABC13912345678", "订单 ABC139****5678"),
        # ID numbers grouped 6-4-4-4 or 4-4-4-4-2, with spaces or hyphens.
        ("身份证 440104 1999 0101 123X", "身份证 4401*************123X"),
        ("身份证440104-1999-0101-1234", "身份证4401*************1234"),
        ("身份证 4401 0419 9901 0112 3X", "身份证 4401**************2 3X"),
        ("身份证4401-0419-9901-0112-34", "身份证4401**************2-34"),
        ("身份证ID44010419990101123x", "身份证ID4401**********123x"),
        # Landlines: area code with or without a hyphen or brackets, 7 or 8 digits.
        ("座机02087654321", "座机020****4321"),
        ("座机(020)87654322", "座机(02******4322"),
        ("座机020-87654321，", "座机020*****4321，"),
        ("座机 0755-1234567", "座机 075*****4567"),
        ("座机 020 8765 4323", "座机 020******4323"),
        ("办公室Tel:0755-12345678", "办公室Tel:075******5678"),
    ],
)
def test_numbers_and_addresses_are_masked_however_written(typed, read):
    assert mask_in_text(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "2023-07-01 至 2023-08-31 在岗，20230701 报到",
        "补贴15000元，共 120 小时",
        "学号2023123456，合同编号 0201234567",
        "高三（1）班，2019届，座号 12",
        "，。！？（全角标点不变）",
        "2026-07-01、2026.07.01、20260701、2026/07/01 报到，2026年7月1日",
        "2026-07-01 至 2026-08-31，2026.07.01-2026.08.31",
        "报到时间 2026-07-01 09:30",
        "补贴¥12,345.67，另发3000元，合计 15,345.67 元",
        "学号 2023123456、2023123457，工号 20230001",
        "统一社会信用代码 91440300708461136T，华为 914403001922038216",
        "岗位编号 10086，/posts/12345/，第 3 期",
        "2019级、2023届、2026年暑期",
        "邮编 510000，房间 1203",
    ],
)
def test_dates_amounts_and_other_numbers_stay_as_typed(typed):
    assert mask_in_text(typed) == typed


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("1391234", "139****"),  # part of a phone, which county staff may search by
        ("13912345678", "139****5678"),
        ("5678", "5678"),  # the last four: no more than a masked phone shows
        ("越秀张三", "越秀张三"),
        ("2026-07-01", "2026-07-01"),
    ],
)
def test_a_kept_keyword_hides_any_long_run_of_digits(typed, kept):
    assert mask_keyword(typed) == kept
