"""The audit log: important changes, reveals and exports are recorded with who, what, when and
where, and provincial staff read their own province's log (and export it)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Role
from students import services
from tests.factories import PASSWORD, PostFactory, StudentFactory, region, staff


def _rows(page) -> str:
    """The table body only: the filter's drop-down lists every action's name."""
    return page.content.decode().split("<tbody>")[1].split("</tbody>")[0]


@pytest.fixture
def offered(world, client):
    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    world.application = services.application_submit(actor=None, student=student, post=world.post_yx)
    client.force_login(world.yx_staff)
    client.post(reverse("students:offer", args=[world.application.pk]))
    return world


def test_an_offer_made_in_the_browser_is_recorded_with_who_where_and_from_which_address(offered):
    event = AuditEvent.objects.get(action="application.offer")
    assert event.actor == offered.yx_staff and event.actor_label == "yuexiu"
    assert event.actor_role == Role.COUNTY and event.ip == "127.0.0.1"
    assert (event.target_type, event.target_id) == ("students.application", offered.application.pk)
    assert event.region == offered.yuexiu and event.province == offered.province


def test_confirmation_and_evaluation_are_recorded_too(offered):
    placement = services.offer_confirm(actor=None, application=offered.application)
    assert AuditEvent.objects.filter(action="offer.confirm", target_id=placement.pk).exists()
    assert AuditEvent.objects.get(action="offer.confirm").actor_label == "系统"  # no request


def test_a_refused_change_leaves_no_event(offered, client):
    client.post(reverse("students:offer", args=[offered.application.pk]))  # offered already
    assert AuditEvent.objects.filter(action="application.offer").count() == 1


def test_account_changes_are_recorded_once(world, client):
    client.force_login(world.yx_staff)
    url = reverse("accounts:account_set_active", args=[world.yx_host.pk])
    client.post(url, {"active": "0"})
    client.post(url, {"active": "0"})  # already inactive: nothing changes, nothing recorded
    events = AuditEvent.objects.filter(action="account.deactivate", target_id=world.yx_host.pk)
    assert events.count() == 1 and events.get().region == world.yuexiu


def test_provincial_staff_read_their_province_log(offered, client):
    client.force_login(offered.province_staff)
    page = client.get(reverse("accounts:audit_log"))
    assert page.status_code == 200
    rows = _rows(page)
    assert "发出录用" in rows and "yuexiu" in rows


def test_the_log_fits_a_phone_its_filters_sized_and_its_table_scrolling(offered, client):
    client.force_login(offered.province_staff)
    html = client.get(reverse("accounts:audit_log")).content.decode()
    # Bootstrap's classes size the filters to their column (unstyled, the 操作人账号 box was
    # wider than a 390 px screen).
    assert 'maxlength="150" class="form-control" id="id_actor"' in html
    assert 'class="form-select" id="id_action"' in html
    # The table scrolls sideways instead of wrapping 操作 one character per line.
    assert '<div class="table-responsive audit-log">' in html
    assert '<td class="text-nowrap">发出录用</td>' in _rows(
        client.get(reverse("accounts:audit_log"))
    )


def test_another_province_sees_none_of_it(offered, client):
    client.force_login(staff(Role.PROVINCE, region=region("450000"), username="gx_province"))
    page = client.get(reverse("accounts:audit_log"))
    assert "发出录用" not in _rows(page) and "没有符合条件的记录" in _rows(page)


@pytest.mark.parametrize("who", ["yx_staff", "gz_staff", "uni_staff", "yx_host", "student"])
def test_the_log_is_not_for_other_roles(offered, client, who):
    client.force_login(getattr(offered, who))
    assert client.get(reverse("accounts:audit_log")).status_code == 404


def test_the_log_filters_by_action_and_actor(offered, client):
    client.force_login(offered.province_staff)
    page = client.get(reverse("accounts:audit_log"), {"action": "pii.reveal"})
    assert "yuexiu" not in _rows(page)
    page = client.get(reverse("accounts:audit_log"), {"actor": "YUEXIU"})
    assert "发出录用" in _rows(page)


def test_exporting_the_log_gives_a_spreadsheet_and_is_itself_recorded(offered, client):
    client.force_login(offered.province_staff)
    response = client.get(reverse("accounts:audit_log"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("时间", "操作人", "角色", "操作")
    assert any(row[3] == "发出录用" and row[1] == "yuexiu" for row in rows[1:])
    export = AuditEvent.objects.get(action="export")
    assert export.actor == offered.province_staff and export.data["rows"] == len(rows) - 1


def test_the_list_query_count_does_not_grow_with_events(
    offered, client, django_assert_max_num_queries
):
    for _ in range(30):
        client.post(reverse("students:reveal", args=[offered.application.pk]))
    client.force_login(offered.province_staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:audit_log"))


def test_withdrawals_expiries_profile_edits_and_password_changes_are_recorded(world, client):
    import datetime

    from django.utils import timezone

    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    first = services.application_submit(actor=None, student=student, post=world.post_yx)
    services.application_withdraw(actor=None, application=first)
    second = services.application_submit(
        actor=None, student=student, post=PostFactory(host_unit=world.unit_yx, title="第二志愿")
    )
    services.application_offer(actor=None, application=second)
    services.offers_expire(actor=None, now=timezone.now() + datetime.timedelta(days=4))
    services.student_update(actor=None, student=student, phone="13700137000", major=student.major)
    client.force_login(world.yx_staff)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Newpass-2026x",
            "new_password2": "Newpass-2026x",
        },
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "application.withdraw",
        "offer.expire",
        "student.profile",
        "account.password",
    } <= actions
    profile = AuditEvent.objects.get(action="student.profile")
    assert profile.data == {"fields": ["phone"]} and "13700137000" not in str(profile.data)
    assert AuditEvent.objects.get(action="account.password").province == world.province


def test_filters_typed_into_an_export_are_recorded_masked(offered, client):
    """A username may be a phone number: the log's own export records its filters masked."""
    client.force_login(offered.province_staff)
    client.get(reverse("accounts:audit_log"), {"export": "csv", "actor": "13912345678"})
    export = AuditEvent.objects.get(action="export")
    assert export.data["filters"] == {"actor": "139****5678"}


def test_keywords_and_filters_in_details_are_kept_masked_the_rest_as_given(world):
    from accounts.audit import Action, audit_record

    event = audit_record(
        Action.EXPORT,
        actor=None,
        region=world.yuexiu,
        data={
            "export": "联系台账",
            "rows": 3,
            "filters": {"关键词": "身份证44010419990101123X", "毕业年份": "2027"},
            "q": "Tel13912345678",
            "keyword": ["020-83001234", "中山大学"],
        },
    )
    event.refresh_from_db()
    assert event.data == {
        "export": "联系台账",
        "rows": 3,
        "filters": {"关键词": "身份证4401**********123X", "毕业年份": "2027"},
        "q": "Tel139****5678",
        "keyword": ["020*****1234", "中山大学"],
    }
