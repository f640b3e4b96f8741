"""A deactivated host unit's staff are cut off (issue 23): no sign-in, no open session, and the
same accounts work again once the county reactivates the unit."""

from django.urls import reverse

from positions.services import host_unit_update
from tests.factories import PASSWORD


def _applicants(post):
    return reverse("students:post_applicants", kwargs={"post_pk": post.pk})


def test_an_open_session_of_a_deactivated_units_staff_is_cut_off(client, world):
    client.force_login(world.yx_host)
    assert client.get(_applicants(world.post_yx)).status_code == 200

    host_unit_update(actor=None, host_unit=world.unit_yx, is_active=False)

    response = client.get(_applicants(world.post_yx))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    revealed = client.post(reverse("students:reveal", kwargs={"pk": 1}))
    assert revealed.status_code == 302 and reverse("accounts:login") in revealed.url


def test_a_deactivated_units_staff_cannot_sign_in_and_are_told_why(client, world):
    host_unit_update(actor=None, host_unit=world.unit_yx, is_active=False)
    login = reverse("accounts:login")

    response = client.post(login, {"username": "yuexiu_host", "password": PASSWORD})

    assert response.status_code == 200
    assert "用人单位已停用" in response.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = client.post(login, {"username": "yuexiu_host", "password": "Wrong-password-1"})
    assert "用人单位已停用" not in wrong.content.decode()  # a guesser learns nothing


def test_reactivating_the_unit_lets_the_same_staff_back_in(client, world):
    host_unit_update(actor=None, host_unit=world.unit_yx, is_active=False)
    host_unit_update(actor=None, host_unit=world.unit_yx, is_active=True)

    response = client.post(
        reverse("accounts:login"), {"username": "yuexiu_host", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(_applicants(world.post_yx)).status_code == 200


def test_other_units_staff_and_county_staff_are_untouched(client, world):
    host_unit_update(actor=None, host_unit=world.unit_yx, is_active=False)
    client.force_login(world.th_host)
    assert client.get(_applicants(world.post_th)).status_code == 200
    client.force_login(world.yx_staff)
    assert client.get(_applicants(world.post_yx)).status_code == 200
