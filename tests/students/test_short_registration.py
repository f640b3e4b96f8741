"""Registration asks only what selection reads; the rest of the profile is completed later,
and the student is told which of it an application waits for, with the way to the profile."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from students.models import Application, Student
from tests.factories import StudentFactory, registration_form

REGISTRATION_FIELDS = {
    "username",
    "password",
    "password2",
    "name",
    "id_number",
    "phone",
    "university",
    "student_number",
    "major",
    "grade",
    "hometown_province",
    "hometown_city",
    "hometown",
    "consent",
}


def _fields(page: str) -> set[str]:
    tree = lxml_html.fromstring(page)
    named = tree.xpath("//form[@method='post']//*[self::input or self::select or self::textarea]")
    return {f.get("name") for f in named if f.get("type") != "hidden" and f.get("name")}


def test_the_registration_form_asks_only_what_selection_needs(client, world):
    page = client.get(reverse("students:register")).content.decode()
    assert _fields(page) == REGISTRATION_FIELDS


def test_the_password_rules_are_shown_under_the_field_before_typing(client, world):
    page = client.get(reverse("students:register")).content.decode()
    tree = lxml_html.fromstring(page)
    password = tree.get_element_by_id("id_password")
    rules = tree.get_element_by_id(password.get("aria-describedby"))
    assert "至少 10 个字符" in rules.text_content()
    assert "同时包含字母和数字" in rules.text_content()


def test_a_refused_registration_keeps_what_was_typed_and_says_to_retype_the_password(client, world):
    data = registration_form(world.university, password="short1", password2="short1")
    page = client.post(reverse("students:register"), data).content.decode()
    assert "密码太短" in page and "密码需要重新输入" in page
    assert 'value="李小明"' in page and 'value="20220001"' in page and 'value="汉语言文学"' in page
    assert not Student.objects.exists()


def test_a_student_registered_with_the_short_form_is_told_what_to_complete_before_applying(
    client, world
):
    response = client.post(
        reverse("students:register"), registration_form(world.university), follow=True
    )
    assert "学院、学历层次、政治面貌" in response.content.decode()
    student = Student.objects.get(user__username="xiaoming")
    assert (student.email, student.college, student.degree, student.graduation_year) == (
        "",
        "",
        "",
        None,
    )

    post_page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk]))
    tree = lxml_html.fromstring(post_page.content.decode())
    missing = tree.get_element_by_id("profile-missing")
    assert "学院、学历层次、政治面貌" in missing.text_content()
    link = missing.xpath(".//a")[0].get("href")
    assert link.startswith(reverse("students:profile"))
    assert not tree.xpath("//textarea[@name='statement']")

    refused = client.post(reverse("students:apply", args=[world.post_yx.pk]), {})
    assert "报名前请先在“个人信息”中填写：学院、学历层次、政治面貌" in refused.content.decode()
    assert not Application.objects.exists()


def test_after_completing_the_profile_the_student_applies(client, world):
    client.post(reverse("students:register"), registration_form(world.university))
    post_url = reverse("positions:public_detail", args=[world.post_yx.pk])
    profile = {
        "phone": "13900139000",
        "email": "xm@example.edu.cn",
        "college": "文学院",
        "major": "汉语言文学",
        "degree": "bachelor",
        "grade": "2022",
        "politics": "league_member",
    }
    saved = client.post(f"{reverse('students:profile')}?next={post_url}", profile)
    assert saved.status_code == 302 and saved["Location"] == post_url
    client.post(reverse("students:apply", args=[world.post_yx.pk]), {"statement": "想回家乡"})
    assert Application.objects.get().post == world.post_yx


def test_the_profile_goes_back_only_to_a_page_of_this_site(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    form = {"phone": student.phone, "major": student.major, "grade": student.grade}
    saved = client.post(f"{reverse('students:profile')}?next=https://evil.example/", form)
    assert saved["Location"] == reverse("students:me")


def test_the_profile_marks_what_an_application_waits_for(client, world):
    client.post(reverse("students:register"), registration_form(world.university))
    page = client.get(reverse("students:profile")).content.decode()
    tree = lxml_html.fromstring(page)
    for name in ("college", "degree", "politics"):
        help_id = tree.get_element_by_id(f"id_{name}").get("aria-describedby")
        assert "报名岗位前须填写" in tree.get_element_by_id(help_id).text_content()
    me = client.get(reverse("students:me")).content.decode()
    assert "请先补充个人信息：学院、学历层次、政治面貌" in me


@pytest.mark.parametrize("grade", ["0", "1979", "99999", "-1"])
def test_an_impossible_year_of_entry_is_refused_naming_the_field(client, world, grade):
    data = registration_form(world.university) | {"grade": grade}
    page = client.post(reverse("students:register"), data).content.decode()
    assert "年级（入学年份）应为 1980 至" in page and "确保该值" not in page
    assert not Student.objects.exists()


def test_an_impossible_graduation_year_on_the_profile_is_refused(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    form = {"phone": student.phone, "major": student.major, "grade": student.grade}
    page = client.post(reverse("students:profile"), form | {"graduation_year": "0"})
    assert "预计毕业年份应为 1980 至" in page.content.decode()
    student.refresh_from_db()
    assert student.graduation_year != 0
