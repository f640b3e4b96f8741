"""Second-classroom credits: the rows, the credits and the totals against a hand-counted fixture,
the university's scope on the page and in every export, the filters, the command line, the rule
form, and a page whose query count does not grow with its rows."""

import io
import itertools
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Role
from fanjiaxiang.exporters import export_file
from schedule.services import programme_year_create
from students import credits
from students.exporters import CreditsExporter
from students.models import RATING_ORDER, Application, CreditRule, Placement
from tests.factories import (
    PostFactory,
    StudentFactory,
    UniversityFactory,
    practice_year,
    staff,
)

HEADER = (
    "学号", "姓名", "学院", "专业", "项目", "岗位", "实践单位", "县区", "时长（小时）",
    "评价等级", "认证单位", "证书编号", "学分", "高校", "鉴定方式",
)  # fmt: skip
_codes = itertools.count(1)


def placement(student, post, *, hours=None, rating="", status="completed"):
    """A placement in the given state, written directly (the journey has its own tests)."""
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    done = status == "completed"
    return Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        status=status,
        checkin_code="12345678",
        hours=hours,
        rating=rating,
        certificate_code=f"C{next(_codes):07d}" if done else None,
    )


@pytest.fixture
def credit_world(world):
    """中山大学 (rule: 16 h a credit, at most 2, 良好 and above) and 华南理工大学 (no rule: the
    defaults, 16 h, at most 2, 合格 and above); the year Y's summer and winter and Y+1's summer.

    中山大学, by student number (credits by hand):
      2022001  Y summer  40 h 优秀  → 80÷16 = 5 halves = 2.5, capped at 2    → 2
      2022001  Y winter  16 h 良好  → 2 halves                              → 1
      2022002  Y summer  20 h 良好  → 40÷16 = 2 halves                      → 1
      2022003  Y summer  30 h 合格  → below 良好                             → 0
      2022004  Y winter   8 h 优秀  → 16÷16 = 1 half                        → 0.5
      2022005  Y+1 summer 24 h 良好 → 48÷16 = 3 halves                      → 1.5
      2022006  Y winter  40 h 不合格 → 0
      not exported: 2022007 reported (not yet evaluated), 2022008 dropped.
    7 rows, 6 credits. 华南理工大学: 2022001 Y summer 32 h 合格 → 2; 2022009 Y winter 7 h 合格 → 0.
    """
    year = practice_year()
    summer = programme_year_create(province=world.province, year=year).seasons.get(kind="summer")
    winter = summer.programme_year.seasons.get(kind="winter")
    next_summer = programme_year_create(province=world.province, year=year + 1).seasons.get(
        kind="summer"
    )
    sysu, scut = world.university, UniversityFactory(name="华南理工大学", code="4144010561")
    CreditRule.objects.create(
        university=sysu, hours_per_credit=16, max_credits=2, min_rating="good"
    )
    posts = SimpleNamespace(
        summer=PostFactory(host_unit=world.unit_yx, season=summer, title="=1+1", headcount=9),
        winter=PostFactory(host_unit=world.unit_th, season=winter, title="寒假岗位", headcount=9),
        next=PostFactory(host_unit=world.unit_yx, season=next_summer, title="次年岗位"),
    )

    def student(number, university=sysu, **extra):
        extra.setdefault("name", f"生{number}")
        return StudentFactory(university=university, student_number=number, **extra)

    s1 = student("2022001", college="数学学院", major="@统计学")
    placement(s1, posts.summer, hours=40, rating="excellent")
    placement(s1, posts.winter, hours=16, rating="good")
    placement(student("2022002"), posts.summer, hours=20, rating="good")
    placement(student("2022003"), posts.summer, hours=30, rating="pass")
    placement(student("2022004"), posts.winter, hours=8, rating="excellent")
    placement(student("2022005"), posts.next, hours=24, rating="good")
    placement(student("2022006"), posts.winter, hours=40, rating="fail")
    placement(student("2022007"), posts.summer, status="reported")
    placement(student("2022008"), posts.summer, status="dropped")
    placement(student("2022001", scut, name="华工生"), posts.summer, hours=32, rating="pass")
    placement(student("2022009", scut), posts.winter, hours=7, rating="pass")
    return SimpleNamespace(
        **vars(world),
        year=year,
        s1=s1,
        sysu=sysu,
        scut=scut,
        posts=posts,
        scut_staff=staff(Role.UNIVERSITY, university=scut, username="scut"),
    )


SYSU = [  # (学号, 项目 season, 学分) in the export's order
    ("2022001", "暑期", 2),
    ("2022001", "寒假", 1),
    ("2022002", "暑期", 1),
    ("2022003", "暑期", 0),
    ("2022004", "寒假", 0.5),
    ("2022005", "暑期", 1.5),
    ("2022006", "寒假", 0),
]


def _summary(rows):
    return [(row[0], row[4][-3:-1], row[12]) for row in rows]


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


# Rows and credits ------------------------------------------------------------------------------


def test_the_rows_and_credits_are_the_hand_counted_ones(credit_world):
    rows = list(CreditsExporter(credit_world.uni_staff).rows())
    assert _summary(rows) == SYSU
    y = credit_world.year
    assert rows[0] == [
        "2022001",
        "生2022001",
        "数学学院",
        "@统计学",
        f"返家乡社会实践（{y}年度暑期）",
        "=1+1",
        "越秀区图书馆",
        "广州市越秀区",
        40,
        "优秀",
        "共青团广州市越秀区委员会",
        rows[0][11],
        2,
        "中山大学",
        "用人单位鉴定",
    ]
    assert rows[0][11].startswith("C")
    assert (
        rows[1][6:8] == ["天河区图书馆", "广州市天河区"]
        and rows[1][10] == "共青团广州市天河区委员会"
    )
    assert rows[5][4] == f"返家乡社会实践（{y + 1}年度暑期）"
    assert rows[6][9] == "不合格"


def test_totals_are_one_grouped_query_and_match_the_rows(credit_world, django_assert_num_queries):
    placements = credits.credit_placements_for_user(credit_world.uni_staff)
    rule = credits.rule_for(credit_world.sysu)
    with django_assert_num_queries(1):
        assert credits.totals(placements, rule) == (7, Decimal(6))
    scut_rule = credits.rule_for(credit_world.scut)
    assert scut_rule.pk is None and scut_rule.hours_per_credit == 16
    scut = credits.credit_placements_for_user(credit_world.scut_staff)
    assert credits.totals(scut, scut_rule) == (2, Decimal(2))


def test_the_dashboards_sql_rule_agrees_with_credits_for():
    """Dashboards count a placement as credited when its rating is at or above the minimum and
    hours × 2 >= hours_per_credit; that must be exactly credits_for(...) > 0."""
    for hpc, max_credits, minimum in itertools.product((1, 7, 16, 32), (0.5, 2), RATING_ORDER[1:]):
        rule = CreditRule(hours_per_credit=hpc, max_credits=Decimal(str(max_credits)))
        rule.min_rating = minimum
        for hours, rating in itertools.product(range(0, 70), RATING_ORDER):
            credited = (
                RATING_ORDER.index(rating) >= RATING_ORDER.index(minimum) and hours * 2 >= hpc
            )
            earned = rule.credits_for(hours=hours, rating=rating)
            assert (earned > 0) == credited, (hpc, minimum, hours, rating)
            assert earned <= Decimal(str(max_credits)) and earned * 2 == int(earned * 2)


# The page --------------------------------------------------------------------------------------


def test_the_page_lists_the_universitys_rows_and_totals(client, credit_world):
    client.force_login(credit_world.uni_staff)
    response = client.get(reverse("students:credits"))
    assert response.status_code == 200
    page = response.context["page"]
    assert [(p.student.student_number, p.credits) for p in page] == [
        (number, Decimal(str(c))) for number, _season, c in SYSU
    ]
    assert response.context["count"] == 7 and response.context["total"] == Decimal(6)
    html = response.content.decode()
    assert "华工生" not in html and "2022009" not in html
    assert "data-credit-total>6<" in html and "table-responsive" in html
    assert "鉴定等次良好及以上方可认定" in html


def test_the_page_has_fifty_rows_a_page(client, credit_world):
    post = PostFactory(host_unit=credit_world.unit_yx, season=credit_world.posts.next.season)
    post.headcount = 999
    post.save()
    for n in range(50):
        placement(
            StudentFactory(university=credit_world.sysu, student_number=f"2023{n:03d}"),
            post,
            hours=16,
            rating="good",
        )
    client.force_login(credit_world.uni_staff)
    first = client.get(reverse("students:credits"))
    assert len(first.context["page"]) == 50 and first.context["count"] == 57
    second = client.get(reverse("students:credits"), {"page": 2, "year": credit_world.year + 1})
    assert second.context["count"] == 51 and len(second.context["page"]) == 1
    assert f"?year={credit_world.year + 1}&page=1" in second.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "Y"}, SYSU[:5] + SYSU[6:]),
        ({"year": "Y+1"}, SYSU[5:6]),
        ({"season": "winter"}, [SYSU[1], SYSU[4], SYSU[6]]),
        ({"year": "Y", "season": "summer"}, [SYSU[0], SYSU[2], SYSU[3]]),
    ],
)
def test_filters_apply_to_the_page_and_the_export(client, credit_world, query, expected):
    y = credit_world.year
    query = {k: {"Y": y, "Y+1": y + 1}.get(v, v) for k, v in query.items()}
    client.force_login(credit_world.uni_staff)
    response = client.get(reverse("students:credits"), query)
    shown = [(p.student.student_number, p.credits) for p in response.context["page"]]
    assert shown == [(n, Decimal(str(c))) for n, _s, c in expected]
    assert response.context["total"] == sum(Decimal(str(c)) for _n, _s, c in expected)
    rows = list(_sheet(client.get(reverse("students:credits_export"), query)).values)
    assert _summary(rows[1:]) == expected
    event = AuditEvent.objects.get(action="export")
    assert event.data["rows"] == len(expected)
    assert event.data["filters"] == {k: str(v) for k, v in query.items()}


def test_a_bad_filter_is_shown_and_ignored(client, credit_world):
    client.force_login(credit_world.uni_staff)
    response = client.get(reverse("students:credits"), {"year": "abc", "season": "spring"})
    assert response.status_code == 200 and response.context["count"] == 7
    assert response.context["filters"].errors.keys() == {"year", "season"}


# Scope -----------------------------------------------------------------------------------------


def test_each_university_sees_and_exports_its_own_students_only(client, credit_world):
    client.force_login(credit_world.scut_staff)
    response = client.get(reverse("students:credits"))
    assert [p.student.name for p in response.context["page"]] == ["华工生", "生2022009"]
    assert response.context["total"] == Decimal(2)
    assert "生2022001" not in response.content.decode()
    rows = list(_sheet(client.get(reverse("students:credits_export"))).values)
    assert [(r[1], r[12], r[13]) for r in rows[1:]] == [
        ("华工生", 2, "华南理工大学"),
        ("生2022009", 0, "华南理工大学"),
    ]
    client.force_login(credit_world.uni_staff)
    rows = list(_sheet(client.get(reverse("students:credits_export"))).values)
    assert rows[0] == HEADER
    assert "华工生" not in {r[1] for r in rows} and {r[13] for r in rows[1:]} == {"中山大学"}


@pytest.mark.parametrize(
    "who", ["province_staff", "gz_staff", "yx_staff", "th_staff", "yx_host", "student"]
)
def test_every_other_role_gets_404_and_nothing_is_exported(client, credit_world, who):
    client.force_login(getattr(credit_world, who))
    assert client.get(reverse("students:credits")).status_code == 404
    assert client.post(reverse("students:credits"), {"hours_per_credit": 1}).status_code == 404
    assert client.get(reverse("students:credits_export")).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
    assert CreditRule.objects.get(university=credit_world.sysu).hours_per_credit == 16


def test_anonymous_visitors_are_sent_to_sign_in(client, credit_world):
    for name in ("students:credits", "students:credits_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_export_holds_no_id_numbers_or_phones_and_no_formulas(client, credit_world):
    client.force_login(credit_world.uni_staff)
    sheet = _sheet(client.get(reverse("students:credits_export")))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    values = {str(cell.value) for cell in cells}
    assert not any(credit_world.s1.id_number in v or credit_world.s1.phone in v for v in values)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    title = [cell for cell in cells if cell.value == "=1+1"]
    assert title and all(cell.data_type == "s" for cell in title)
    assert "@统计学" in values
    event = AuditEvent.objects.get(action="export")
    assert event.actor == credit_world.uni_staff and event.data["export"] == "第二课堂学分"
    assert event.data["rows"] == 7 and event.province == credit_world.province


def test_the_csv_export_defuses_formulas(client, credit_world):
    client.force_login(credit_world.uni_staff)
    response = client.get(reverse("students:credits_export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=1+1" in text and "'@统计学" in text


# The rule --------------------------------------------------------------------------------------


def test_the_rule_form_saves_audits_and_recounts(client, credit_world):
    client.force_login(credit_world.scut_staff)
    url = reverse("students:credits")
    response = client.post(
        f"{url}?season=summer", {"hours_per_credit": 8, "max_credits": "1.5", "min_rating": "pass"}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?season=summer"
    rule = CreditRule.objects.get(university=credit_world.scut)
    assert (rule.hours_per_credit, rule.max_credits, rule.min_rating) == (8, Decimal("1.5"), "pass")
    event = AuditEvent.objects.get(action="credit_rule.update")
    assert event.actor == credit_world.scut_staff and event.data["before"] is None
    assert event.data["after"] == {
        "hours_per_credit": 8,
        "max_credits": "1.5",
        "min_rating": "pass",
    }
    # 32 h → capped at 1.5; 7 h → 14 ÷ 8 = 1 half.
    assert client.get(url).context["total"] == Decimal(2)
    client.post(url, {"hours_per_credit": 8, "max_credits": "1.5", "min_rating": "excellent"})
    assert CreditRule.objects.filter(university=credit_world.scut).count() == 1
    assert client.get(url).context["total"] == 0
    assert AuditEvent.objects.filter(action="credit_rule.update").count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours_per_credit": "0"}, "hours_per_credit", "每学分所需时长应在 1 到 200 小时之间。"),
        ({"hours_per_credit": "-3"}, "hours_per_credit", "每学分所需时长应在 1 到 200 小时之间。"),
        ({"hours_per_credit": "八"}, "hours_per_credit", "每学分所需时长应为整数（小时）。"),
        ({"max_credits": "1.3"}, "max_credits", "单次实践最高学分按 0.5 学分计，如 2 或 1.5。"),
        ({"max_credits": "1.25"}, "max_credits", "单次实践最高学分按 0.5 学分计，如 2 或 1.5。"),
        ({"max_credits": "0"}, "max_credits", "单次实践最高学分应在 0.5 到 10 之间。"),
        ({"max_credits": "100"}, "max_credits", "单次实践最高学分应在 0.5 到 10 之间。"),
        ({"min_rating": "fail"}, "min_rating", "最低鉴定等次只能是优秀、良好或合格。"),
    ],
)
def test_a_bad_rule_keeps_the_input_and_names_the_field(client, credit_world, data, field, message):
    client.force_login(credit_world.uni_staff)
    posted = {"hours_per_credit": "10", "max_credits": "3", "min_rating": "excellent", **data}
    response = client.post(reverse("students:credits"), posted)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert message in html
    if field != "min_rating":
        assert f'value="{posted[field]}"' in html
    rule = CreditRule.objects.get(university=credit_world.sysu)
    assert (rule.hours_per_credit, rule.max_credits, rule.min_rating) == (16, 2, "good")
    assert response.context["total"] == Decimal(6)  # the table keeps the saved rule
    assert not AuditEvent.objects.filter(action="credit_rule.update").exists()


def test_the_rule_form_needs_the_csrf_token(credit_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(credit_world.uni_staff)
    data = {"hours_per_credit": 8, "max_credits": "1", "min_rating": "pass"}
    assert client.post(reverse("students:credits"), data).status_code == 403
    assert CreditRule.objects.get(university=credit_world.sysu).hours_per_credit == 16


# Query count -----------------------------------------------------------------------------------


def test_the_pages_queries_do_not_grow_with_its_rows(client, credit_world):
    client.force_login(credit_world.uni_staff)
    url = reverse("students:credits")
    client.get(url)  # session and caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    post = PostFactory(host_unit=credit_world.unit_th, season=credit_world.posts.next.season)
    post.headcount = 999
    post.save()
    for n in range(30):
        placement(
            StudentFactory(university=credit_world.sysu, student_number=f"2024{n:03d}"),
            post,
            hours=16,
            rating="excellent",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["count"] == 37
    assert len(many) == len(few) <= 10


# The command line ------------------------------------------------------------------------------


def _read(path):
    return list(openpyxl.load_workbook(path, read_only=True).active.values)


def test_the_command_exports_every_university_by_default(credit_world, tmp_path, capsys):
    target = tmp_path / "credits.xlsx"
    call_command("export_credits", output=str(target))
    assert "已导出 9 条学分记录" in capsys.readouterr().out
    rows = _read(target)
    assert rows[0] == HEADER and len(rows) == 10
    # 中山大学 (4144010558) before 华南理工大学 (4144010561), each by student number.
    assert [(r[0], r[13]) for r in rows[1:3]] == [("2022001", "中山大学")] * 2
    assert [(r[1], r[12]) for r in rows[8:]] == [("华工生", 2), ("生2022009", 0)]
    event = AuditEvent.objects.get(action="export")
    assert event.actor is None and event.data["command"] is True and event.data["rows"] == 9


def test_the_command_filters_by_university_year_and_season(credit_world, tmp_path, capsys):
    target = tmp_path / "sysu.xlsx"
    call_command(
        "export_credits",
        "--university",
        "4144010558",
        "--year",
        str(credit_world.year),
        "--season",
        "winter",
        "--output",
        str(target),
    )
    assert "已导出 3 条学分记录" in capsys.readouterr().out
    assert _summary(_read(target)[1:]) == [SYSU[1], SYSU[4], SYSU[6]]
    call_command("export_credits", university="4144010558", output=str(target))
    assert _summary(_read(target)[1:]) == SYSU


def test_the_unscoped_exporter_is_what_the_command_runs(credit_world, tmp_path):
    target = tmp_path / "scut.xlsx"
    assert export_file(CreditsExporter.unscoped(university=credit_world.scut), target) == 2
    summer = CreditsExporter.unscoped(university=credit_world.sysu, season="summer")
    assert export_file(summer, target) == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--university", "0000000000"], "没有学校标识码为 0000000000 的高校。"),
        (["--season", "spring"], "实践季只能是 summer（暑期）或 winter（寒假）"),
        (["--year", "26"], "年度应为 4 位数字"),
        (["--year", "0000"], "没有 0 年度的返家乡活动。"),
        (["--year", "1999"], "没有 1999 年度的返家乡活动。"),
    ],
)
def test_the_command_refuses_bad_arguments_in_chinese(
    credit_world, tmp_path, capsys, monkeypatch, argv, message
):
    from students.management.commands.export_credits import Command

    target = tmp_path / "x.xlsx"
    # run_from_argv closes every connection when it is done, the test's transaction with them.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "export_credits", *argv, "--output", str(target)])
    assert exit_.value.code == 1
    assert message in capsys.readouterr().err
    assert not target.exists()
    with pytest.raises(CommandError, match=message[:6]):
        call_command("export_credits", *argv, output=str(target))


def test_the_command_says_in_chinese_when_it_cannot_write_the_file(credit_world, tmp_path):
    with pytest.raises(CommandError, match="无法写入"):
        call_command("export_credits", output=str(tmp_path / "no-such-folder" / "x.xlsx"))
