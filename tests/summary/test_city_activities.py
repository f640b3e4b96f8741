"""City activities (示范活动, 学子归巢, …): 广州市 records and edits its own with photos; 团省委 reads
every city's; 梅州市, counties, universities and the rest get 404; readers who may not change one
get 403. Bad input is refused in Chinese, field by field, with what was typed kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from demo.summary import png
from filestore.models import StoredFile
from summary import services
from summary.models import ActivityPhoto, CityActivity

pytestmark = pytest.mark.usefixtures("summary_day")

LIST = reverse("summary:city_activity_list")
NEW = reverse("summary:city_activity_create")


def photo(name="座谈.png", content=None):
    return SimpleUploadedFile(name, content or png(), content_type="image/png")


def as_(client, user):
    client.force_login(user)
    return client


def form(**changes) -> dict:
    return {
        "kind": "homecoming",
        "title": "广州学子归巢座谈会",
        "held_on": "2031-02-08",
        "place": "广州市青年文化宫",
        "participants": "60",
        "description": "邀请市领导和人社部门负责人与回家过节的大学生代表座谈。",
    } | changes


@pytest.fixture
def gz_activity(sw):
    return CityActivity.objects.get(city=sw.guangzhou, kind="demo")


def test_a_city_records_an_activity_with_photos_and_it_is_audited(client, sw):
    response = as_(client, sw.gz_staff).post(f"{NEW}?year=2030", form(photos=[photo()]))
    assert response.status_code == 302
    activity = CityActivity.objects.get(title="广州学子归巢座谈会")
    assert (activity.city, activity.programme_year, activity.participants) == (
        sw.guangzhou,
        sw.programme_year,
        60,
    )
    assert activity.photos.count() == 1
    event = AuditEvent.objects.get(action="city_activity.save")
    assert event.actor == sw.gz_staff and event.region == sw.guangzhou
    html = client.get(response["Location"]).content.decode()
    assert "广州学子归巢座谈会" in html and "学子归巢" in html and "广州市青年文化宫" in html
    image = client.get(
        reverse("summary:city_activity_photo", args=[activity.pk, activity.photos.get().pk])
    )
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(client, sw):
    before = StoredFile.objects.count()
    response = as_(client, sw.gz_staff).post(
        f"{NEW}?year=2030",
        form(
            place="",
            participants="0",
            held_on="2032-05-01",
            photos=[photo("假照片.png", b"MZ not an image")],
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写活动地点" in html or "该字段是必填项" in html
    assert "假照片.png" in html  # the photo's own name in the refusal
    assert "广州学子归巢座谈会" in html  # what was typed stays
    assert not CityActivity.objects.filter(title="广州学子归巢座谈会").exists()
    assert StoredFile.objects.count() == before
    # Outside the programme year (April to the next March), and no one at all.
    response = client.post(f"{NEW}?year=2030", form(held_on="2032-05-01", participants="0"))
    html = response.content.decode()
    assert "参加人数应为正整数" in html
    response = client.post(f"{NEW}?year=2030", form(held_on="2032-05-01"))
    assert "活动日期应在2030年度内（2030-04-01 至 2031-03-31）" in response.content.decode()
    assert not CityActivity.objects.filter(title="广州学子归巢座谈会").exists()


def test_the_city_edits_its_activity_and_removes_a_photo(client, sw, gz_activity):
    services.city_activity_save(
        programme_year=sw.programme_year,
        city=sw.guangzhou,
        fields=form() | {"held_on": datetime.date(2030, 7, 20), "participants": 30},
        add_photos=[photo("一.png"), photo("二.png")],
        activity=gz_activity,
        actor=sw.gz_staff,
    )
    first = gz_activity.photos.get(original_name="一.png")
    url = reverse("summary:city_activity_edit", args=[gz_activity.pk])
    response = as_(client, sw.gz_staff).post(
        url, form(title="广州示范活动（修订）", remove_photos=[first.pk])
    )
    assert response.status_code == 302
    gz_activity.refresh_from_db()
    assert gz_activity.title == "广州示范活动（修订）"
    assert list(gz_activity.photos.values_list("original_name", flat=True)) == ["二.png"]


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("province_staff", 200),
        ("gz_staff", 200),
        ("mz_staff", 404),  # another city
        ("yx_staff", 404),  # a county of the city: the city reports upward
        ("zsu_staff", 404),
        ("yx_host", 404),
        ("gx_staff", 404),  # another province
    ],
)
def test_an_activity_is_read_in_scope(client, sw, gz_activity, reader, status):
    url = reverse("summary:city_activity_detail", args=[gz_activity.pk])
    assert as_(client, getattr(sw, reader)).get(url).status_code == status


@pytest.mark.parametrize(("reader", "status"), [("province_staff", 403), ("mz_staff", 404)])
def test_only_the_city_changes_its_activity(client, sw, gz_activity, reader, status):
    url = reverse("summary:city_activity_edit", args=[gz_activity.pk])
    as_(client, getattr(sw, reader))
    assert client.get(url).status_code == status
    assert client.post(url, form(title="越界")).status_code == status
    gz_activity.refresh_from_db()
    assert gz_activity.title != "越界"


def test_only_city_staff_record_activities(client, sw):
    for user in (sw.province_staff, sw.yx_staff, sw.zsu_staff):
        answer = as_(client, user).post(f"{NEW}?year=2030", form())
        assert answer.status_code in (403, 404)
    assert not CityActivity.objects.filter(title="广州学子归巢座谈会").exists()
    for user in (sw.yx_staff, sw.zsu_staff, sw.yx_host, sw.s1.user):
        assert as_(client, user).get(LIST).status_code == 404


def test_the_list_keeps_to_the_scope_and_shows_the_city_to_the_province(client, sw):
    gz = as_(client, sw.gz_staff).get(LIST).content.decode()
    assert "广州市demo" in gz and "广州市homecoming" in gz and "梅州市demo" not in gz
    province = as_(client, sw.province_staff).get(LIST).content.decode()
    assert "广州市demo" in province and "梅州市demo" in province
    only_demo = client.get(LIST, {"kind": "demo"}).content.decode()
    assert "广州市homecoming" not in only_demo
    assert client.get(LIST, {"kind": "x", "year": "abc", "page": "zz"}).status_code == 200


def test_the_list_runs_the_same_number_of_queries_however_many_activities(client, sw):
    as_(client, sw.province_staff).get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(12):
        services.city_activity_save(
            programme_year=sw.programme_year,
            city=sw.meizhou,
            fields=form(title=f"梅州活动{n}", held_on=datetime.date(2030, 8, 1), participants=9),
            add_photos=[photo()],
            actor=sw.mz_staff,
        )
    with CaptureQueriesContext(connection) as many:
        assert "梅州活动11" in client.get(LIST).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_after_the_publication_the_years_activities_are_closed(sw, gz_activity):
    services.scores_recompute(programme_year=sw.programme_year, actor=sw.province_staff)
    gz_score = sw.programme_year.summary_scores.get(region=sw.guangzhou)
    services.commendations_choose(
        programme_year=sw.programme_year, scores=[gz_score], actor=sw.province_staff
    )
    services.commendations_publish(
        programme_year=sw.programme_year, title="", note="", actor=sw.province_staff
    )
    with pytest.raises(Exception, match="已公布"):
        services.city_activity_save(
            programme_year=sw.programme_year,
            city=sw.guangzhou,
            fields=form() | {"held_on": datetime.date(2030, 7, 20), "participants": 30},
            activity=gz_activity,
            actor=sw.gz_staff,
        )
    assert ActivityPhoto.objects.count() == 0


def test_a_city_without_a_demonstration_has_it_on_its_to_do_list(client, sw):
    CityActivity.objects.filter(city=sw.meizhou).delete()
    home = as_(client, sw.mz_staff).get(reverse("home")).content.decode()
    assert "开展示范活动并登记" in home and f"{NEW}?year=2030" in home
    assert (
        "开展示范活动并登记" not in as_(client, sw.gz_staff).get(reverse("home")).content.decode()
    )
    assert (
        "开展示范活动并登记" not in as_(client, sw.yx_staff).get(reverse("home")).content.decode()
    )
