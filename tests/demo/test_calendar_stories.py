"""The demo runs on the seed's real dates (issue 15): its year is the programme year in force
on the day it is seeded, on the template's dates, and its calendar stories show whatever the
day: 越秀区 on time, 梅县区 overdue (its city told), 天河区 with an extension, 虎门镇 done late
with its plan and, after 11/30, late with its winter posts."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notice, User
from schedule.models import ProgrammeYear, ProgressReport, UnitMilestone
from schedule.services import calendar_template

# Through the year: winter practice, spring onboarding, summer practice, winter selection.
DAYS = ["2027-01-15", "2027-04-10", "2027-07-20", "2026-12-04"]
IN_FORCE = {"2027-01-15": 2026, "2027-04-10": 2027, "2027-07-20": 2027, "2026-12-04": 2026}


def cell(html: str, unit: str, column: int) -> str:
    """The text of `unit`'s cell in the milestone matrix's `column` (0 is the first milestone)."""
    table = html.split('id="milestone-matrix"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<tr><td[^>]*>{unit}</td>(.*?)</tr>", table, re.S)
    assert row, unit
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[column]).split())


def home(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("today", DAYS)
def test_the_demo_year_is_the_year_in_force_and_every_story_shows(client, today):
    day = datetime.date.fromisoformat(today)
    call_command("load_regions", stdout=io.StringIO())
    with time_machine.travel(f"{today} 10:00 +0800", tick=False):
        call_command("seed_demo", stdout=io.StringIO())

        programme_year = ProgrammeYear.objects.get(province__code="440000")
        assert programme_year.year == IN_FORCE[today]
        # The template's own dates, nothing shifted around today.
        dues = dict(programme_year.milestones.exclude(code="custom").values_list("code", "due"))
        assert dues == {code: due for code, _kind, due in calendar_template(programme_year.year)}

        client.force_login(User.objects.get(username="gd_province"))
        html = client.get(reverse("schedule:calendar")).content.decode()
        plan, onboard = 0, 1  # the matrix's first two columns
        # 越秀区 on time: its plan approved by 广州 before anyone was late.
        assert cell(html, "越秀区", plan) == "已完成"
        assert cell(html, "越秀区", onboard) == "已完成"
        # 梅县区 overdue, and 梅州 was told the day after the date.
        assert cell(html, "梅县区", plan).startswith("已逾期")
        assert "逾期" in home(client, "meixian") and "制定实施方案" in home(client, "meixian")
        assert "下级单位逾期情况" in home(client, "mz_city")
        digest = Notice.objects.filter(user__username="mz_city", text__contains="梅县区")
        assert digest.filter(text__startswith="逾期：").exists()
        # 天河区 was given until five days from today for its plan, and reminded of it.
        extended = day + datetime.timedelta(days=5)
        assert cell(html, "天河区", plan).startswith(f"未完成 延期至{extended:%m-%d}")
        tianhe = Notice.objects.filter(user__username="tianhe", text__startswith="提醒：")
        assert tianhe.filter(text__contains=f"{extended:%m月%d日}").exists()
        # 虎门镇 submitted its plan after the date: done late, and its home page says so.
        assert cell(html, "虎门镇", plan).startswith("逾期完成")
        assert "逾期完成" in home(client, "humen")
        # Its winter posts are drafts: overdue once 11/30 has passed, pending before.
        winter_posts = UnitMilestone.objects.get(
            milestone__programme_year=programme_year,
            milestone__code="winter_posts",
            region__code="441900121",
        )
        late = day > dues["winter_posts"]
        assert winter_posts.status == ("overdue" if late else "pending")
        if late:
            assert winter_posts.overdue_since == dues["winter_posts"] + datetime.timedelta(days=1)
        # 越秀区 evaluated its whole past summer: its practice milestone is never overdue.
        yuexiu_summer = UnitMilestone.objects.get(
            milestone__programme_year=programme_year,
            milestone__code="summer_practice",
            region__code="440104",
        )
        assert yuexiu_summer.overdue_since is None
        # Issue 17: 越秀区 marked the province's 统一行动日 done; 广州市 submitted its second
        # quarter's report; 华南理工大学 left it a draft, late once 6/30 has passed.
        action_day = UnitMilestone.objects.get(
            milestone__programme_year=programme_year,
            milestone__title="全省“返家乡”统一行动日",
            region__code="440104",
        )
        assert action_day.status == "done" and action_day.done_note
        assert ProgressReport.objects.filter(
            programme_year=programme_year, region__code="440100", quarter="q2", status="submitted"
        ).exists()
        scut = UnitMilestone.objects.get(
            milestone__programme_year=programme_year,
            milestone__code="progress_q2",
            university__code="4144010561",
        )
        assert scut.status == ("overdue" if day > dues["progress_q2"] else "pending")
