"""Briefings (简报): 团省委 writes drafts only it sees, then publishes them with an issue number;
every signed-in user of the province reads a published one (staff of every level, host units,
universities and students from the province); another province's users get 404, the anonymous
the sign-in page (briefings are not public)."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from summary import services
from summary.models import Briefing

pytestmark = pytest.mark.usefixtures("summary_day")

LIST = reverse("summary:briefing_list")


def as_(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def draft(sw):
    return services.briefing_save(
        province=sw.province,
        title="暑期实践简报",
        body="各地扎实推进。\n\n下一步安排。",
        actor=sw.province_staff,
    )


def test_the_province_writes_and_publishes_a_briefing(client, sw):
    as_(client, sw.province_staff)
    response = client.post(reverse("summary:briefing_create"), {"title": "第一期", "body": "正文"})
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and briefing.status == "draft"
    edit = reverse("summary:briefing_edit", args=[briefing.pk])
    assert client.post(edit, {"title": "第一期（修改）", "body": "正文二"}).status_code == 302
    publish = reverse("summary:briefing_publish", args=[briefing.pk])
    assert client.get(publish).status_code == 405
    assert client.post(publish).status_code == 302
    briefing.refresh_from_db()
    assert (briefing.title, briefing.status, briefing.issue) == ("第一期（修改）", "published", 1)
    assert briefing.published_by == sw.province_staff
    assert AuditEvent.objects.filter(action="briefing.publish").count() == 1
    # Writing and changing the draft are audited too, with who did it.
    saves = AuditEvent.objects.filter(action="briefing.save").order_by("pk")
    assert [(e.data["title"], e.data["new"]) for e in saves] == [
        ("第一期", True),
        ("第一期（修改）", False),
    ]
    assert {e.actor_id for e in saves} == {sw.province_staff.pk}
    # Published: neither changed nor published again.
    client.post(edit, {"title": "改不了", "body": "正文三"})
    client.post(publish)
    briefing.refresh_from_db()
    assert (briefing.title, briefing.issue) == ("第一期（修改）", 1)
    second = services.briefing_save(
        province=sw.province, title="第二期", body="b", actor=sw.province_staff
    )
    assert services.briefing_publish(briefing=second, actor=sw.province_staff).issue == 2


def test_a_draft_is_for_the_province_only(client, sw, draft):
    detail = reverse("summary:briefing_detail", args=[draft.pk])
    assert "暑期实践简报" in as_(client, sw.province_staff).get(LIST).content.decode()
    for user in (sw.gz_staff, sw.yx_staff, sw.zsu_staff, sw.yx_host, sw.s1.user):
        as_(client, user)
        assert client.get(detail).status_code == 404
        assert "暑期实践简报" not in client.get(LIST).content.decode()


def test_a_published_briefing_is_read_by_everyone_of_the_province(client, sw, draft):
    services.briefing_publish(briefing=draft, actor=sw.province_staff)
    detail = reverse("summary:briefing_detail", args=[draft.pk])
    readers = (
        sw.province_staff,
        sw.gz_staff,
        sw.mz_staff,
        sw.yx_staff,
        sw.th_staff,
        sw.yx_host,
        sw.zsu_staff,
        sw.scut_staff,
        sw.s1.user,  # 越秀区 is home
    )
    for user in readers:
        html = as_(client, user).get(detail).content.decode()
        assert "各地扎实推进" in html, user.username
        assert "暑期实践简报" in client.get(LIST).content.decode()
    for user in (sw.gx_staff, sw.s5.user):  # 广西's staff; a student whose home is 广西
        as_(client, user)
        assert client.get(detail).status_code == 404
        assert "暑期实践简报" not in client.get(LIST).content.decode()
    client.logout()
    response = client.get(detail)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_only_the_province_writes(client, sw, draft):
    services.briefing_publish(briefing=draft, actor=sw.province_staff)
    for user in (sw.gz_staff, sw.yx_staff, sw.zsu_staff, sw.yx_host, sw.s1.user):
        as_(client, user)
        assert client.get(reverse("summary:briefing_create")).status_code == 403
        assert (
            client.post(reverse("summary:briefing_create"), {"title": "t", "body": "b"}).status_code
            == 403
        )
        edit = reverse("summary:briefing_edit", args=[draft.pk])
        assert client.post(edit, {"title": "越界", "body": "越界"}).status_code == 403
    as_(client, sw.gx_staff)
    assert client.post(reverse("summary:briefing_publish", args=[draft.pk])).status_code == 404
    assert Briefing.objects.count() == 1 and Briefing.objects.get().title == "暑期实践简报"


def test_the_body_is_text_not_html(client, sw):
    briefing = services.briefing_save(
        province=sw.province, title="t", body="<script>alert(1)</script>", actor=sw.province_staff
    )
    html = as_(client, sw.province_staff).get(
        reverse("summary:briefing_detail", args=[briefing.pk])
    )
    assert "<script>alert(1)</script>" not in html.content.decode()
    assert "&lt;script&gt;" in html.content.decode()
