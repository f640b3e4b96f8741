"""The staff sidebar shows each role only the pages its capabilities reach, grouped by task, with
the page shown marked; students and visitors keep the simple top menu."""

import pytest
from django.urls import reverse
from lxml import html

from accounts.models import Role
from tests.factories import UserFactory

SYSTEM = "返家乡社会实践岗位对接系统"


def _page(client, user, url: str):
    if user is not None:
        client.force_login(user)
    response = client.get(url, follow=True)  # 数据看板 opens the user's own region
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def sidebar(tree) -> dict[str, list[str]]:
    """The sidebar's groups, each with its items' words, in order."""
    groups: dict[str, list[str]] = {}
    for heading in tree.xpath('//*[@id="nav"]//*[contains(@class, "sidebar-heading")]'):
        items = tree.xpath(f'//ul[@aria-labelledby="{heading.get("id")}"]//a')
        groups[heading.text_content().strip()] = [a.text_content().strip() for a in items]
    return groups


def items(tree) -> set[str]:
    return {item for group in sidebar(tree).values() for item in group}


def link(tree, words: str):
    (found,) = tree.xpath(f'//*[@id="nav"]//a[normalize-space()="{words}"]')
    return found


def crumbs(tree) -> list[str]:
    return [
        li.text_content().strip() for li in tree.xpath('//ol[@class="breadcrumb small mb-2"]/li')
    ]


def test_county_staff_see_every_task_group_of_their_work(client, world):
    groups = sidebar(_page(client, world.yx_staff, reverse("home")))
    assert list(groups) == [
        "岗位与单位",
        "学生与匹配",
        "工作日程",
        "联系台账",
        "数据与总结",
        "账号与审计",
    ]
    assert groups["学生与匹配"] == ["本县学生", "人岗匹配", "实践安排", "意外伤害保险"]
    assert "Excel 导入" in groups["联系台账"]
    assert groups["账号与审计"] == ["账号管理", "接口令牌"]


def test_province_staff_see_the_audit_and_universities_but_not_county_work(client, world):
    tree = _page(client, world.province_staff, reverse("home"))
    seen = items(tree)
    assert {"审计日志", "发送失败的邮件", "高校名录", "数据看板", "账号管理"} <= seen
    assert not {"人岗匹配", "本县学生", "Excel 导入", "入驻登记", "实施方案", "本校学生"} & seen


def test_host_unit_staff_see_only_their_posts_placements_and_briefings(client, world):
    groups = sidebar(_page(client, world.yx_host, reverse("home")))
    assert groups == {
        "岗位与单位": ["岗位管理", "用人单位", "岗位查询"],
        "学生与匹配": ["实践安排"],
        "数据与总结": ["工作简报"],
    }


def test_university_staff_see_their_students_credits_and_summary(client, world):
    groups = sidebar(_page(client, world.uni_staff, reverse("home")))
    assert groups["学生与匹配"] == [
        "本校学生",
        "第二课堂学分",
        "参与统计",
        "学生通知",
        "推荐学生",
        "在校表现证明",
        "意外伤害保险",
    ]
    assert "岗位管理" not in items(_page(client, world.uni_staff, reverse("home")))
    assert "联系台账" not in groups
    assert groups["账号与审计"] == ["接口令牌"]  # its own API tokens (issue 20)


def test_a_superuser_without_a_role_sees_the_admin_and_dashboards(client, db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    seen = items(_page(client, admin, reverse("home")))
    assert {"数据看板", "账号管理", "后台管理"} <= seen


@pytest.mark.parametrize("role", ["student", "anonymous"])
def test_students_and_visitors_keep_the_simple_top_menu(client, world, role):
    user = world.student if role == "student" else None
    tree = _page(client, user, reverse("positions:search"))
    assert not tree.xpath('//*[contains(@class, "staff-sidebar")]')
    menu = [a.text_content().strip() for a in tree.xpath('//*[@id="nav"]/ul[1]//a')]
    assert menu[0] == "岗位查询"
    assert ("我的实践" in menu) == (role == "student")
    assert link(tree, "岗位查询").get("aria-current") == "page"


def test_the_current_page_is_marked_and_named_in_the_breadcrumbs(client, world):
    tree = _page(client, world.yx_staff, reverse("students:matching"))
    assert link(tree, "人岗匹配").get("aria-current") == "page"
    assert "active" in link(tree, "人岗匹配").get("class")
    assert link(tree, "岗位管理").get("aria-current") is None
    assert crumbs(tree) == ["工作台", "学生与匹配", "人岗匹配"]


def test_a_detail_page_marks_its_list_and_ends_the_trail_with_its_own_name(client, world):
    tree = _page(client, world.yx_staff, reverse("positions:post_detail", args=[world.post_yx.pk]))
    assert link(tree, "岗位管理").get("aria-current") == "true"
    assert crumbs(tree) == ["工作台", "岗位与单位", "岗位管理", world.post_yx.title]
    assert tree.xpath('//ol[@class="breadcrumb small mb-2"]/li[3]/a/@href') == [
        reverse("positions:post_list")
    ]


def test_pages_of_a_ledger_tab_belong_to_that_tab(client, world):
    tree = _page(client, world.yx_staff, reverse("ledger:channel_create"))
    assert link(tree, "联系渠道").get("aria-current") == "true"
    assert crumbs(tree)[:3] == ["工作台", "联系台账", "联系渠道"]


@pytest.mark.parametrize("who", ["yx_staff", "gz_staff", "province_staff", "yx_host", "uni_staff"])
def test_every_sidebar_page_shows_home_group_and_page_in_its_trail(client, world, who):
    client.force_login(getattr(world, who))
    tree = _page(client, None, reverse("home"))
    for group, words in sidebar(tree).items():
        for item in words:
            url = link(tree, item).get("href")
            if item == "后台管理":
                continue
            page = _page(client, None, url)
            trail = crumbs(page)
            assert trail[:3] == ["工作台", group, item], (url, trail)


def test_the_title_names_the_page_and_the_system(client, world):
    tree = _page(client, world.yx_staff, reverse("positions:post_list"))
    assert tree.findtext(".//title").endswith(f" · {SYSTEM}")


def test_the_top_bar_names_the_user_role_and_scope_in_full_on_hover(client, world):
    tree = _page(client, world.yx_staff, reverse("home"))
    (label,) = tree.xpath('//header//*[contains(@class, "user-label")]')
    assert label.get("title") == label.text_content().strip()
    assert label.get("title").count(" · ") == 2
    assert "县级团委" in label.get("title") and "越秀区" in label.get("title")
    assert tree.xpath('//header//form[@method="post"]//button[normalize-space()="退出"]')


def test_the_sidebar_is_built_without_database_queries(client, world, django_assert_num_queries):
    from accounts.access import capabilities_for
    from accounts.navigation import navigation_for

    caps = capabilities_for(world.yx_staff)
    with django_assert_num_queries(0):
        nav = navigation_for(caps, "ledger:entry_detail")
    assert nav.item is not None and nav.item.label == "台账人员"
    assert nav.group is not None and nav.group.label == "联系台账"
    assert Role.COUNTY == world.yx_staff.role
