"""The 评分规则 page: 团省委 sets each kind's weights and targets for the year (a POST, audited,
refused in the notice's words when the weights do not add up to 100), until the commendation is
published; the province's other summary readers read it; other provinces and non-staff get 404."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from summary import services
from summary.models import ScoringRule
from tests.summary.conftest import AS_OF, RULE

pytestmark = pytest.mark.usefixtures("summary_day")


def url(sw) -> str:
    return reverse("summary:scoring_rule", args=[sw.programme_year.pk])


def as_(client, user):
    client.force_login(user)
    return client


def county_post(**changes) -> dict:
    data = {"kind": "county"}
    for key, setting in RULE["county"].items():
        data[f"county-weight_{key}"] = str(setting["weight"])
        if setting["target"] is not None:
            data[f"county-target_{key}"] = str(setting["target"])
    return data | changes


def test_the_province_reads_every_part_with_its_weight_target_and_reason(client, sw):
    html = as_(client, sw.province_staff).get(url(sw)).content.decode()
    for words in ("县级团委", "市级团委", "高校团委", "集中交流", "示范活动", "学分认定"):
        assert words in html
    assert "开展一次集中交流" in html  # the reason for the default
    assert 'name="county-target_channels"' in html and 'value="4"' in html  # this year's rule
    assert "保存县级团委评分规则" in html


def test_the_province_changes_a_rule_and_the_scores_page_says_to_recompute(client, sw):
    services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF
    )
    as_(client, sw.province_staff)
    response = client.post(
        url(sw),
        county_post(**{"county-weight_milestones": "0", "county-weight_posts": "40"}),
    )
    assert response.status_code == 302
    rule = ScoringRule.objects.get(programme_year=sw.programme_year, kind="county")
    assert rule.parts["milestones"] == {"weight": 0, "target": None}
    assert rule.parts["posts"] == {"weight": 40, "target": None}
    assert rule.updated_by == sw.province_staff
    assert AuditEvent.objects.filter(action="summary.rule", actor=sw.province_staff).count() == 3
    scores = client.get(reverse("summary:scores"), {"year": 2030}).content.decode()
    assert "评分规则在上次计算后修改过" in scores


def test_weights_that_do_not_add_up_are_refused_with_what_was_typed_kept(client, sw):
    as_(client, sw.province_staff)
    response = client.post(url(sw), county_post(**{"county-weight_exchange": "10"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "权重合计为 95，应为 100。" in html
    assert 'name="county-weight_exchange" value="10"' in html
    response = client.post(
        url(sw), county_post(**{"county-target_ledger": "0", "county-weight_posts": "三十"})
    )
    html = response.content.decode()
    assert "“联系台账”的目标应为正整数。" in html
    assert "“岗位与报到”的权重应为整数。" in html
    assert ScoringRule.objects.get(kind="county").parts == RULE["county"]


@pytest.mark.parametrize("kind", ["", "nonsense"])
def test_an_unknown_kind_is_not_found(client, sw, kind):
    response = as_(client, sw.province_staff).post(url(sw), county_post(kind=kind))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("reader", "read", "write"),
    [
        ("gz_staff", 200, 403),
        ("yx_staff", 200, 403),
        ("zsu_staff", 200, 403),
        ("gx_staff", 404, 404),  # another province
        ("yx_host", 404, 404),
    ],
)
def test_the_rule_is_read_in_the_province_and_changed_by_the_province_only(
    client, sw, reader, read, write
):
    as_(client, getattr(sw, reader))
    html = client.get(url(sw))
    assert html.status_code == read
    if read == 200:
        assert "评分规则由团省委设定" in html.content.decode()
        assert 'name="county-weight_posts"' not in html.content.decode()
    posted = county_post(**{"county-weight_posts": "20", "county-weight_milestones": "20"})
    assert client.post(url(sw), posted).status_code == write
    assert ScoringRule.objects.get(kind="county").parts == RULE["county"]


def test_after_the_publication_the_rule_is_locked(client, sw):
    services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF
    )
    services.commendations_choose(
        programme_year=sw.programme_year,
        scores=sw.programme_year.summary_scores.filter(region=sw.yuexiu),
        actor=sw.province_staff,
    )
    services.commendations_publish(
        programme_year=sw.programme_year, title="", note="", actor=sw.province_staff
    )
    as_(client, sw.province_staff)
    html = client.get(url(sw)).content.decode()
    assert "评分规则不能再修改" in html and 'name="county-weight_posts"' not in html
    posted = county_post(**{"county-weight_posts": "20", "county-weight_milestones": "20"})
    response = client.post(url(sw), posted)
    assert "已公布" in response.content.decode()
    assert ScoringRule.objects.get(kind="county").parts == RULE["county"]
