"""Registration for a student of any university in China: the university is typed (or picked
in the type-ahead) by name, resolved on the server, and the page never lists the register."""

from django.urls import reverse

from students.models import Student
from tests.factories import UniversityFactory, region, registration_form


def _pku():
    return UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))


def test_a_student_of_peking_university_registers_for_yuexiu(client, world):
    pku = _pku()
    response = client.post(reverse("students:register"), registration_form(pku))
    assert response.status_code == 302
    student = Student.objects.get(user__username="xiaoming")
    assert student.university == pku and student.hometown == world.yuexiu


def test_the_register_name_or_the_code_also_resolves(client, world):
    pku = _pku()
    pku.register_name = "北京大学"
    pku.name = "北京大学（本部）"
    pku.save()
    for typed in ("北京大学", "4111010001"):
        Student.objects.all().delete()
        form = registration_form(pku) | {"university": typed}
        assert client.post(reverse("students:register"), form).status_code == 302


def test_an_unknown_name_is_explained_and_everything_typed_is_kept(client, world):
    _pku()
    form = registration_form(world.university, major="物理学") | {"university": "北京大"}
    page = client.post(reverse("students:register"), form).content.decode()
    assert "没有名为“北京大”的学校" in page and "北京大学" in page
    assert 'value="北京大"' in page and 'value="物理学"' in page
    assert not Student.objects.exists()


def test_a_name_found_nowhere_says_whom_to_ask(client, world):
    form = registration_form(world.university) | {"university": "火星大学"}
    page = client.post(reverse("students:register"), form).content.decode()
    assert "没有找到“火星大学”" in page and "团省委补充" in page


def test_a_chosen_university_is_kept_when_another_field_is_wrong(client, world):
    pku = _pku()
    form = registration_form(pku, password2="Another-password-2026")
    page = client.post(reverse("students:register"), form).content.decode()
    assert "两次输入的密码不一致" in page and 'value="北京大学"' in page


def test_the_page_does_not_carry_the_register(client, world):
    _pku()
    UniversityFactory(name="清华大学", code="4111010003", province=region("110000"))
    page = client.get(reverse("students:register")).content.decode()
    assert (
        "清华大学" not in page
        and "4111010001" not in page
        and "<option" not in page.split("id_university")[1].split("</div>")[0]
    )
    assert 'data-university-search="/universities/search/"' in page
