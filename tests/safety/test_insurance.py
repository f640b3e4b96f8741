"""意外伤害保险 per placement: recorded by the county or the student's university, covering the
practice dates; the county sees who is not insured before the practice starts."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from safety import services
from safety.models import Insurance
from tests.factories import HostUnitFactory, PostFactory, UniversityFactory, staff
from tests.safety.conftest import placement_for

pytestmark = pytest.mark.django_db


def _at(day: datetime.date):
    """Noon in China on `day`."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(4), tzinfo=datetime.UTC), tick=False
    )


def _todos(client, user) -> dict:
    client.force_login(user)
    return {todo.key: todo for todo in client.get(reverse("home")).context["todos"]}


def _form(placement, **changes) -> dict:
    post = placement.post
    return {
        "insurer": "中国人民财产保险股份有限公司广州市分公司",
        "policy_number": "PICC2026000001",
        "starts_on": f"{post.starts_on:%Y-%m-%d}",
        "ends_on": f"{post.ends_on:%Y-%m-%d}",
    } | changes


def test_the_county_records_the_insurance_of_its_placement(client, world, placement):
    client.force_login(world.yx_staff)

    response = client.post(reverse("safety:insurance", args=[placement.pk]), _form(placement))

    assert response.status_code == 302
    insurance = Insurance.objects.get(placement=placement)
    assert insurance.policy_number == "PICC2026000001" and insurance.recorded_by == world.yx_staff
    assert AuditEvent.objects.filter(action="safety.insurance", actor=world.yx_staff).exists()


def test_the_students_university_records_it_too(client, world, placement):
    client.force_login(world.uni_staff)

    client.post(reverse("safety:insurance", args=[placement.pk]), _form(placement))

    assert Insurance.objects.get(placement=placement).recorded_by == world.uni_staff


def test_a_period_that_leaves_practice_days_uncovered_is_refused_with_the_dates(
    client, world, placement
):
    client.force_login(world.yx_staff)
    short = placement.post.ends_on - datetime.timedelta(days=1)

    response = client.post(
        reverse("safety:insurance", args=[placement.pk]),
        _form(placement, ends_on=f"{short:%Y-%m-%d}"),
    )

    html = response.content.decode()
    assert "保险期间须覆盖实践日期" in html and f"{placement.post.ends_on:%Y-%m-%d}" in html
    assert "PICC2026000001" in html  # what was typed is kept
    assert not Insurance.objects.exists()


def test_an_end_before_the_start_is_refused(world, placement):
    post = placement.post
    with pytest.raises(ValidationError, match="止期不能早于起期"):
        services.insurance_save(
            placement=placement,
            insurer="保险公司",
            policy_number="P1",
            starts_on=post.ends_on,
            ends_on=post.starts_on,
            actor=None,
        )


def test_a_bad_date_names_its_field(client, world, placement):
    client.force_login(world.yx_staff)

    response = client.post(
        reverse("safety:insurance", args=[placement.pk]), _form(placement, starts_on="明天")
    )

    assert "保险起期应为日期" in response.content.decode()


def test_saving_again_corrects_the_one_record(world, placement):
    post = placement.post
    for number in ("P1", "P2"):
        services.insurance_save(
            placement=placement,
            insurer="保险公司",
            policy_number=number,
            starts_on=post.starts_on,
            ends_on=post.ends_on,
            actor=None,
        )

    assert list(Insurance.objects.values_list("policy_number", flat=True)) == ["P2"]


@pytest.mark.parametrize("who, status", [("yx_host", 403), ("gz_staff", 403), ("th_staff", 404)])
def test_others_cannot_record_it(client, world, placement, who, status):
    client.force_login(getattr(world, who))

    response = client.post(reverse("safety:insurance", args=[placement.pk]), _form(placement))

    assert response.status_code == status
    assert not Insurance.objects.exists()


def test_another_university_gets_404(client, world, placement):
    other = staff(Role.UNIVERSITY, university=UniversityFactory(name="华南理工大学"))
    client.force_login(other)

    assert client.get(reverse("safety:insurance", args=[placement.pk])).status_code == 404


def _insure(placement):
    post = placement.post
    return services.insurance_save(
        placement=placement,
        insurer="越秀保险",
        policy_number=f"P{placement.pk}",
        starts_on=post.starts_on,
        ends_on=post.ends_on,
        actor=None,
    )


def test_the_list_shows_who_is_not_insured_by_default(client, world):
    insured = placement_for(world, name="已参保学生")
    placement_for(world, name="未参保学生")
    _insure(insured)
    client.force_login(world.yx_staff)

    html = client.get(reverse("safety:insurance_list")).content.decode()
    everyone = client.get(reverse("safety:insurance_list"), {"insured": "all"}).content.decode()

    assert "未参保学生" in html and "已参保学生" not in html
    assert "未参保学生" in everyone and "已参保学生" in everyone


def test_the_list_filters_by_season_and_ignores_nonsense(client, world, placement):
    client.force_login(world.yx_staff)
    url = reverse("safety:insurance_list")

    this = client.get(url, {"season": placement.season_id}).content.decode()
    other = client.get(url, {"season": placement.season_id + 999}).content.decode()
    odd = client.get(url, {"season": "'; drop", "insured": "<x>", "page": "x"})

    assert "越秀在岗生" in this and "越秀在岗生" not in other
    assert odd.status_code == 200 and "越秀在岗生" in odd.content.decode()


def test_other_counties_and_host_units_do_not_see_the_list(client, world, placement):
    client.force_login(world.th_staff)
    assert "越秀在岗生" not in client.get(reverse("safety:insurance_list")).content.decode()
    client.force_login(world.yx_host)
    assert client.get(reverse("safety:insurance_list")).status_code == 404


def _queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("safety:insurance_list"), query).status_code == 200
    return len(queries.captured_queries)


def test_the_list_costs_the_same_queries_however_many_placements(client, world):
    client.force_login(world.yx_staff)
    placement_for(world)
    one = _queries(client, insured="all")
    for n in range(2):
        post = PostFactory(host_unit=HostUnitFactory(county=world.yuexiu), headcount=5)
        for _m in range(3):
            placement = placement_for(world, post)
            if n:
                _insure(placement)

    assert _queries(client, insured="all") == one


def test_the_excel_lists_the_rows_as_text_and_is_audited(client, world):
    placement = placement_for(world, name="=HYPERLINK(1)")
    _insure(placement)
    client.force_login(world.yx_staff)

    response = client.get(reverse("safety:insurance_export"), {"insured": "all"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "就读高校")
    assert rows[1][0] == "=HYPERLINK(1)" and rows[1][8] == "已参保"
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, never a formula
    assert AuditEvent.objects.filter(action="export", actor=world.yx_staff).exists()


def test_the_county_is_told_of_placements_starting_soon_without_insurance(client, world):
    soon = placement_for(world)
    later = PostFactory(
        host_unit=world.unit_yx,
        starts_on=soon.post.starts_on + datetime.timedelta(days=30),
        ends_on=soon.post.starts_on + datetime.timedelta(days=40),
    )
    placement_for(world, later)

    with _at(soon.post.starts_on - datetime.timedelta(days=5)):
        todo = _todos(client, world.yx_staff)["uninsured"]
        assert todo.count == 1 and todo.due == soon.post.starts_on  # not the later one
        assert todo.url == reverse("safety:insurance_list") + "?insured=no"
        _insure(soon)
        assert "uninsured" not in _todos(client, world.yx_staff)


def test_the_university_is_told_too_and_the_host_unit_is_not(client, world):
    soon = placement_for(world)

    with _at(soon.post.starts_on - datetime.timedelta(days=1)):
        assert _todos(client, world.uni_staff)["uninsured"].count == 1
        assert "uninsured" not in _todos(client, world.yx_host)
