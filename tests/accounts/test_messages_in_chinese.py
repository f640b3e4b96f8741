"""Issue 23: every message a user can see on the forms that take a password is Chinese. Django's
own password validators are only partly translated (5.2 shipped "This password is too short. It
must contain at least 10 characters." without a Chinese text), so each form is posted with each
kind of bad input and its errors and its page are searched for English sentences."""

import html
import re

import pytest
from django.urls import reverse

from accounts.models import Mail
from tests.factories import PASSWORD, StudentFactory, valid_id_number

# Three or more ASCII words in a row is a sentence nobody translated ("This password is too
# short"); single words such as Excel or PDF are fine.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[\s,.;:!?'’()-]+[A-Za-z]{2,}){2,}")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)

# Each kind of password the validators refuse (too short, entirely digits, too common, too like
# the username, no digit) and, where the form asks twice, two that differ.
BAD_PASSWORDS = ["short1a", "7391846205", "password123", "xiaoming2022", "qwertyuiopasdf"]


def _english(response) -> list[str]:
    form = response.context["form"]
    found = [m for errors in form.errors.values() for e in errors for m in ENGLISH.findall(e)]
    text = html.unescape(HIDDEN.sub(" ", response.content.decode()))
    return found + ENGLISH.findall(text)


def _registration(world, password, again=None) -> dict:
    return {
        "username": "xiaoming2022",
        "password": password,
        "password2": password if again is None else again,
        "name": "李小明",
        "id_number": valid_id_number(5),
        "phone": "13900139000",
        "university": world.university.name,
        "student_number": "20220001",
        "degree": "bachelor",
        "grade": "2022",
        "graduation_year": "2026",
        "politics": "league_member",
        "hometown_province": "440000",
        "hometown_city": "440100",
        "hometown": "440104",
        "consent": "on",
    }


@pytest.mark.parametrize("password", BAD_PASSWORDS)
def test_registration_refuses_weak_passwords_in_chinese(client, world, password):
    response = client.post(reverse("students:register"), _registration(world, password))
    assert response.context["form"].errors.get("password"), password
    assert not _english(response)


def test_registration_refuses_other_bad_input_in_chinese(client, world):
    for data in ({"username": ""}, _registration(world, PASSWORD, again="Other-password-1")):
        response = client.post(reverse("students:register"), data)
        assert response.context["form"].errors
        assert not _english(response)
    assert not _english(client.get(reverse("students:register")))  # its help texts


@pytest.mark.parametrize("password", BAD_PASSWORDS)
def test_password_change_refuses_weak_passwords_in_chinese(client, world, password):
    user = world.yx_staff
    user.username = "xiaoming2022"
    user.save()
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.context["form"].errors.get("new_password2"), password
    assert not _english(response)


@pytest.mark.parametrize(
    "data",
    [
        {"old_password": "Wrong-password-1", "new_password1": "Qn-2026-gd-a", "new_password2": ""},
        {"old_password": PASSWORD, "new_password1": "Qn-2026-gd-a", "new_password2": "Qn-2026-x"},
        {},
    ],
    ids=["wrong-old-password", "mismatch", "empty"],
)
def test_password_change_refuses_other_bad_input_in_chinese(client, world, data):
    client.force_login(world.yx_staff)
    response = client.post(reverse("accounts:password_change"), data)
    assert response.context["form"].errors
    assert not _english(response)


@pytest.mark.parametrize("password", BAD_PASSWORDS)
def test_staff_account_creation_refuses_weak_passwords_in_chinese(client, world, password):
    client.force_login(world.yx_staff)
    data = {
        "role": "host",
        "host_unit": world.unit_yx.pk,
        "name": "新同志",
        "username": "xiaoming2022",
        "phone": "13900139000",
        "password": password,
    }
    response = client.post(reverse("accounts:account_create"), data)
    assert response.context["form"].errors.get("password"), password
    assert not _english(response)


@pytest.mark.parametrize(
    "data",
    [{"username": "yuexiu", "password": "Wrong-password-1"}, {"username": "", "password": ""}],
    ids=["wrong-password", "empty"],
)
def test_sign_in_refuses_in_chinese(client, world, data):
    response = client.post(reverse("accounts:login"), data)
    assert response.context["form"].errors
    assert not _english(response)


def test_the_erase_form_refuses_in_chinese(client, world):
    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    client.force_login(student.user)
    for data in ({"password": "Wrong-password-1", "confirm": "on"}, {"password": ""}):
        response = client.post(reverse("students:erase"), data)
        assert response.context["form"].errors
        assert not _english(response)


def test_the_help_texts_of_the_password_rules_are_chinese(world):
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert len(texts) == 5
    assert not [t for t in texts if ENGLISH.search(t)]


def _reset_form(client, student) -> str:
    """The new-password form behind a fresh e-mailed link."""
    client.post(reverse("accounts:password_reset"), {"identifier": student.user.username})
    body = Mail.objects.filter(to=student.user.email).latest("pk").body
    path = re.search(r"http://testserver(/\S+/)", body).group(1)
    return client.get(path)["Location"]


@pytest.mark.parametrize("password", BAD_PASSWORDS)
def test_the_password_reset_form_refuses_weak_passwords_in_chinese(client, world, password):
    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    student.user.username = "xiaoming2022"
    student.user.save()
    form = _reset_form(client, student)
    response = client.post(form, {"new_password1": password, "new_password2": password})
    assert response.context["form"].errors.get("new_password2"), password
    assert not _english(response)


def test_the_password_reset_pages_speak_chinese(client, world):
    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    empty = client.post(reverse("accounts:password_reset"), {"identifier": ""})
    assert empty.context["form"].errors and not _english(empty)
    form = _reset_form(client, student)
    mismatch = client.post(form, {"new_password1": "Qn-2026-gd-a", "new_password2": "Qn-2026-x"})
    assert mismatch.context["form"].errors and not _english(mismatch)
    assert not _english(client.get(form))  # the help texts of the rules
