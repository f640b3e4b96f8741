"""推荐: the university recommends its own student; the county reviewing the student's
application sees it beside the applicant, and nobody else does."""

from django.urls import reverse

from accounts.models import AuditEvent, Role
from tests.factories import HostUnitFactory, PostFactory, staff
from tests.universities.conftest import client_for
from universities import services
from universities.models import Recommendation

TEXT = "该生担任团支书，组织能力强"


def _applicants(uni, user, post=None):
    url = reverse("students:post_applicants", args=[(post or uni.post_yx).pk])
    return client_for(user).get(url)


def test_the_university_recommends_its_student_and_the_county_sees_it_beside_the_applicant(uni):
    response = client_for(uni.uni_staff).post(
        reverse("universities:recommend", args=[uni.a.pk]), {"text": TEXT}
    )

    assert response.status_code == 302
    assert Recommendation.objects.get(student=uni.a).text == TEXT
    page = _applicants(uni, uni.yx_staff).content.decode()
    assert "中山大学推荐" in page and TEXT in page
    assert AuditEvent.objects.filter(action="university.recommend").exists()


def test_the_host_unit_does_not_see_the_recommendation(uni):
    services.recommendation_save(student=uni.a, text=TEXT, actor=uni.uni_staff)

    page = _applicants(uni, uni.yx_host).content.decode()

    assert "越秀甲" in page and TEXT not in page


def test_a_county_without_an_application_from_the_student_does_not_see_it(uni):
    services.recommendation_save(student=uni.a, text=TEXT, actor=uni.uni_staff)
    th_post = uni.post_th

    assert _applicants(uni, uni.th_staff, th_post).status_code == 200
    assert TEXT not in _applicants(uni, uni.th_staff, th_post).content.decode()
    assert _applicants(uni, uni.th_staff).status_code == 404


def test_another_university_cannot_recommend_or_read_someone_elses_student(uni):
    url = reverse("universities:recommend", args=[uni.a.pk])

    assert client_for(uni.scut_staff).get(url).status_code == 404
    assert client_for(uni.scut_staff).post(url, {"text": "越界"}).status_code == 404
    assert client_for(uni.yx_staff).get(url).status_code == 404
    assert client_for(uni.a.user).get(url).status_code == 404
    assert not Recommendation.objects.exists()


def test_an_empty_text_withdraws_the_recommendation(uni):
    services.recommendation_save(student=uni.a, text=TEXT, actor=uni.uni_staff)

    page = client_for(uni.uni_staff).post(
        reverse("universities:recommend", args=[uni.a.pk]), {"text": ""}, follow=True
    )

    assert not Recommendation.objects.exists()
    assert "推荐意见已撤回" in page.content.decode()


def test_an_empty_text_with_nothing_to_withdraw_says_nothing_was_saved(uni):
    page = client_for(uni.uni_staff).post(
        reverse("universities:recommend", args=[uni.a.pk]), {"text": "  "}, follow=True
    )

    body = page.content.decode()
    assert "请填写推荐意见" in body and "推荐意见已保存" not in body
    assert not Recommendation.objects.exists()


def test_a_too_long_recommendation_is_refused_and_kept_in_the_form(uni):
    long = "好" * 501
    response = client_for(uni.uni_staff).post(
        reverse("universities:recommend", args=[uni.a.pk]), {"text": long}
    )

    assert response.status_code == 200
    assert long in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_recommendation_from_a_former_university_is_not_shown(uni):
    """A student who changed school (a hometown county's correction) keeps no old word."""
    services.recommendation_save(student=uni.a, text=TEXT, actor=uni.uni_staff)
    uni.a.university = uni.scut
    uni.a.save(update_fields=["university"])

    assert TEXT not in _applicants(uni, uni.yx_staff).content.decode()


def test_the_recommendation_list_finds_students_by_name(uni):
    services.recommendation_save(student=uni.a, text=TEXT, actor=uni.uni_staff)
    client = client_for(uni.uni_staff)

    page = client.get(reverse("universities:recommendations"), {"q": "越秀"}).content.decode()

    assert "越秀甲" in page and "越秀丙" in page and "天河乙" not in page
    assert "华工丁" not in client.get(reverse("universities:recommendations")).content.decode()


def test_other_roles_have_no_recommendation_list(uni):
    other_county = staff(Role.COUNTY, region=uni.meixian, username="meixian")
    HostUnitFactory(county=uni.meixian)
    PostFactory(host_unit=HostUnitFactory(county=uni.meixian))
    for user in (uni.yx_staff, other_county, uni.a.user, uni.province_staff):
        assert client_for(user).get(reverse("universities:recommendations")).status_code == 404
