"""Issue 23: a wrong current password on the password-change form counts like a failed sign-in
(django-axes), as on the erase form, so a borrowed session cannot be used to guess it."""

from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import PASSWORD

NEW = "Qingnian-2026-gd"


def _change(client, old, ip="10.0.0.1"):
    data = {"old_password": old, "new_password1": NEW, "new_password2": NEW}
    return client.post(reverse("accounts:password_change"), data, REMOTE_ADDR=ip)


def test_five_wrong_current_passwords_lock_like_the_sign_in(client, world):
    client.force_login(world.yx_staff)
    statuses = [_change(client, f"Wrong-guess-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth locks
    # The right password does not get through either, and the page says what happened.
    response = _change(client, PASSWORD)
    assert response.status_code == 429 and "登录已暂停" in response.content.decode()
    world.yx_staff.refresh_from_db()
    assert world.yx_staff.check_password(PASSWORD)
    # The same pause holds at the sign-in page, and the province sees it in the audit log.
    client.logout()
    login = client.post(
        reverse("accounts:login"),
        {"username": "yuexiu", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert login.status_code == 429
    assert AuditEvent.objects.filter(action="login.locked", target_id=world.yx_staff.pk).exists()


def test_wrong_current_passwords_add_up_with_failed_sign_ins(client, world):
    for _ in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": "yuexiu", "password": "Wrong-guess-0"},
            REMOTE_ADDR="10.0.0.1",
        )
    client.force_login(world.yx_staff)
    assert _change(client, "Wrong-guess-1").status_code == 200
    assert _change(client, "Wrong-guess-2").status_code == 429


def test_a_weak_new_password_is_not_a_wrong_password(client, world):
    client.force_login(world.yx_staff)
    data = {"old_password": PASSWORD, "new_password1": "short1a", "new_password2": "short1a"}
    for _ in range(6):
        response = client.post(reverse("accounts:password_change"), data, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
    assert _change(client, PASSWORD).status_code == 302


def test_the_lock_is_per_address_like_the_sign_in(client, world):
    client.force_login(world.yx_staff)
    for n in range(5):
        _change(client, f"Wrong-guess-{n}")
    assert _change(client, PASSWORD, ip="10.0.0.2").status_code == 302
