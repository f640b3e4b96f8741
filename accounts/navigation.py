"""The portal's menus, defined once: the staff sidebar (groups of pages by task), the simple top
menu of students and visitors, and the breadcrumbs of every page.

Each item names its page by URL name and the capability (`accounts.access.Capabilities`) that
lets a user reach it; templates only loop over what `navigation_for` hands them. Which item is
"current" is decided here from the resolved URL name: the item's own page, then the pages an
item lists as its own (a post's detail belongs to 岗位管理), then a namespace an item claims for
everything else in it.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import Capabilities

HOME = "home"


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    cap: str = ""  # a Capabilities field; empty: every user of the menu
    pages: tuple[str, ...] = ()  # other URL names that belong to this item
    namespace: str = ""  # the item of last resort for every page of this URL namespace


@dataclass(frozen=True)
class Group:
    label: str | Promise
    items: tuple[Item, ...]


SIDEBAR: tuple[Group, ...] = (
    Group(
        _("岗位与单位"),
        (
            Item(
                _("岗位管理"),
                "positions:post_list",
                "can_read_positions",
                ("positions:post_create", "positions:post_detail", "positions:post_edit")
                + ("students:post_applicants",),
                namespace="positions",
            ),
            Item(
                _("用人单位"),
                "positions:host_unit_list",
                "can_read_positions",
                ("positions:host_unit_create", "positions:host_unit_detail")
                + ("positions:host_unit_edit",),
            ),
            Item(_("高校名录"), "students:university_list", "can_manage_universities"),
            Item(_("岗位查询"), "positions:search", pages=("positions:public_detail",)),
        ),
    ),
    Group(
        _("学生与匹配"),
        (
            Item(
                _("本县学生"),
                "students:county_students",
                "can_list_county_students",
                ("students:identity_correct",),
            ),
            Item(
                _("人岗匹配"),
                "students:matching",
                "can_run_matching",
                ("students:supplementary_open",),
            ),
            Item(_("实践安排"), "students:placement_list", "can_read_positions"),
            Item(_("本校学生"), "students:university_students", "can_see_university_students"),
            Item(_("第二课堂学分"), "students:credits", "can_see_university_students"),
            Item(
                _("参与统计"),
                "universities:dashboard",
                "can_see_university_students",
                ("universities:dashboard_export",),
            ),
            Item(
                _("学生通知"),
                "universities:notices",
                "can_see_university_students",
                ("universities:notice_detail",),
            ),
            Item(
                _("推荐学生"),
                "universities:recommendations",
                "can_see_university_students",
                ("universities:recommend",),
            ),
            Item(
                _("在校表现证明"),
                "universities:certificates",
                "can_see_university_students",
                ("universities:certificate_issue", "universities:certificate"),
            ),
            Item(
                _("意外伤害保险"),
                "safety:insurance_list",
                "can_read_insurance",
                ("safety:insurance",),
            ),
        ),
    ),
    Group(
        _("工作日程"),
        (
            Item(_("工作日程"), "schedule:calendar", "can_read_calendar", namespace="schedule"),
            Item(_("实施方案"), "schedule:plan", "can_submit_plan", ("schedule:plan_detail",)),
            Item(_("入驻登记"), "schedule:onboarding", "can_confirm_onboarding"),
            Item(_("安全保障设置"), "safety:rule_current", "can_edit_calendar", ("safety:rule",)),
            Item(
                _("工作节点"),
                "schedule:university_calendar",
                "can_read_own_milestones",
                ("schedule:unit_done",),
            ),
            Item(
                _("项目推进表"),
                "schedule:progress_list",
                "can_read_progress",
                ("schedule:progress_edit", "schedule:progress_detail"),
            ),
        ),
    ),
    Group(
        _("联系台账"),
        (
            Item(_("台账人员"), "ledger:entry_list", "can_read_ledger", namespace="ledger"),
            Item(
                _("联系渠道"),
                "ledger:channel_list",
                "can_read_ledger",
                ("ledger:channel_create", "ledger:channel_detail", "ledger:channel_edit"),
            ),
            Item(
                _("台账通知"),
                "ledger:notice_list",
                "can_read_ledger",
                ("ledger:notice_create", "ledger:notice_detail"),
            ),
            Item(
                _("集中交流"),
                "ledger:event_list",
                "can_read_ledger",
                ("ledger:event_create", "ledger:event_detail", "ledger:event_edit"),
            ),
            Item(
                _("返乡就业创业"),
                "ledger:registration_list",
                "can_read_ledger",
                ("ledger:registration_decide",),
            ),
            Item(
                _("Excel 导入"),
                "ledger:import_upload",
                "can_import_ledger",
                ("ledger:import_job", "ledger:import_confirm"),
            ),
        ),
    ),
    Group(
        _("数据与总结"),
        (
            Item(_("数据看板"), "dashboards:home", "can_see_dashboards", namespace="dashboards"),
            Item(_("五个一"), "summary:five", "can_see_own_five", ("summary:five_county",)),
            Item(
                _("五个一进展"),
                "summary:five",
                "can_see_five_matrix",
                ("summary:five_county", "summary:five_export"),
            ),
            Item(
                _("总结表扬"),
                "summary:scores",
                "can_read_summary",
                ("summary:scoring_rule",),
                namespace="summary",
            ),
            Item(
                _("市级活动"),
                "summary:city_activity_list",
                "can_read_city_activities",
                (
                    "summary:city_activity_create",
                    "summary:city_activity_detail",
                    "summary:city_activity_edit",
                ),
            ),
            Item(_("典型案例"), "summary:case_list", "can_read_summary", ("summary:case_create",)),
            Item(_("实践总结要求"), "outcomes:rule", "can_review_cases"),
            Item(_("工作简报"), "summary:briefing_list", "can_read_briefings"),
            Item(_("简报上报"), "reports:list", "can_read_reports", namespace="reports"),
        ),
    ),
    Group(
        _("账号与审计"),
        (
            Item(
                _("账号管理"),
                "accounts:account_list",
                "can_manage_accounts",
                ("accounts:account_create", "accounts:account_detail"),
            ),
            Item(_("审计日志"), "accounts:audit_log", "can_read_audit_log"),
            Item(_("接口令牌"), "api:tokens", "can_manage_api_tokens"),
            Item(_("发送失败的邮件"), "accounts:mail_failures", "can_read_mail_failures"),
            Item(
                _("账号安全"),
                "accounts:security_accounts",
                "can_reset_two_factor",
                ("accounts:account_two_factor_reset",),
            ),
            Item(_("后台管理"), "admin:index", "can_open_admin"),
        ),
    ),
)

# Pages every signed-in user reaches from the top bar: in the breadcrumbs, not in the sidebar.
ACCOUNT_ITEMS: tuple[Item, ...] = (
    Item(_("通知"), "accounts:notice_list"),
    Item(_("修改密码"), "accounts:password_change"),
    Item(_("两步验证"), "accounts:two_factor"),
)

# The phone-first top menu of students and visitors.
TOP_MENU: tuple[Item, ...] = (
    Item(_("岗位查询"), "positions:search", pages=("positions:public_detail",)),
    Item(
        _("我的实践"),
        "students:me",
        "is_student",
        ("students:profile", "students:my_data", "students:supplementary"),
    ),
    Item(_("工作简报"), "summary:briefing_list", "can_read_briefings", namespace="summary"),
)


@dataclass
class Link:
    """An item as one user sees it: where it goes, and whether the page shown is it."""

    label: str | Promise
    url: str
    url_name: str
    current: bool = False  # the item's own page is shown
    active: bool = False  # the page shown belongs to this item (its own page or one below it)


@dataclass
class Section:
    label: str | Promise
    links: list[Link]
    active: bool = False


@dataclass
class Navigation:
    staff: bool
    home: Link
    groups: list[Section] = field(default_factory=list)  # the staff sidebar
    top: list[Link] = field(default_factory=list)  # students' and visitors' menu
    group: Section | None = None  # the breadcrumb trail: 工作台 › group › item
    item: Link | None = None


def _allowed(item: Item, caps: Capabilities) -> bool:
    return not item.cap or bool(getattr(caps, item.cap))


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str | None, prefix: str) -> str:
    """The menu's URLs take no arguments: reversed once per URL configuration, not per page."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:  # admin is switched off in some deployments
        return ""


def _link(item: Item) -> Link | None:
    url = _url(item.url_name, get_urlconf(), get_script_prefix())
    return Link(label=item.label, url=url, url_name=item.url_name) if url else None


def _owner(items: list[tuple[Item, Link]], view_name: str) -> Link | None:
    """The link the page named `view_name` belongs to: own page, listed page, namespace."""
    namespace = view_name.partition(":")[0] if ":" in view_name else ""
    for test in (
        lambda item: item.url_name == view_name,
        lambda item: view_name in item.pages,
        lambda item: bool(namespace) and item.namespace == namespace,
    ):
        for item, link in items:
            if test(item):
                return link
    return None


def navigation_for(caps: Capabilities, view_name: str) -> Navigation:
    """What `caps` may reach, with the page named `view_name` ("app:name") marked current."""
    home = Link(
        label=_("工作台"), url=_url(HOME, get_urlconf(), get_script_prefix()), url_name=HOME
    )
    nav = Navigation(staff=caps.works_as_staff, home=home)
    pairs: list[tuple[Item, Link]] = []
    if nav.staff:
        for group in SIDEBAR:
            section = Section(label=group.label, links=[])
            for item in group.items:
                if _allowed(item, caps) and (link := _link(item)):
                    section.links.append(link)
                    pairs.append((item, link))
            if section.links:
                nav.groups.append(section)
    else:
        for item in TOP_MENU:
            if _allowed(item, caps) and (link := _link(item)):
                nav.top.append(link)
                pairs.append((item, link))
    pairs += [(item, link) for item in ACCOUNT_ITEMS if (link := _link(item))]
    nav.item = _owner(pairs, view_name)
    if nav.item is not None:
        nav.item.active = True
        nav.item.current = nav.item.url_name == view_name
        nav.group = next((s for s in nav.groups if any(x is nav.item for x in s.links)), None)
        if nav.group is not None:
            nav.group.active = True
    home.current = view_name == HOME
    return nav


def user_label(user) -> str:
    """Who is signed in, for the top bar: name · role · scope."""
    parts = [str(user), user.get_role_display() if user.role else "", user.scope_label]
    return " · ".join(part for part in parts if part)
