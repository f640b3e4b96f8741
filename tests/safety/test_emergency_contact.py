"""紧急联系人: given before an offer is confirmed, seen whole by the host unit of the placed
student only, masked (with an audited reveal) for its county, by nobody else."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from safety import services
from safety.models import EmergencyContact
from students import services as students
from students.models import Application, Placement
from tests.safety.conftest import offer_for

pytestmark = pytest.mark.django_db


def test_an_offer_is_not_confirmed_without_an_emergency_contact(world):
    offer = offer_for(world, emergency_contact=False)

    with pytest.raises(Exception) as refused:
        students.offer_confirm(application=offer, actor=None)

    assert "紧急联系人" in str(refused.value)
    assert reverse("safety:contact") in str(refused.value)  # and where to add it
    assert not Placement.objects.exists()


def test_the_student_sees_what_is_missing_and_where_before_clicking_confirm(client, world):
    offer = offer_for(world, emergency_contact=False)
    client.force_login(offer.student.user)

    for page in (reverse("students:me"), reverse("home")):
        html = client.get(page).content.decode()
        assert "确认录用前还需要" in html
        assert reverse("safety:contact") in html
        assert reverse("students:confirm", args=[offer.pk]) not in html  # no button that fails


def test_clicking_confirm_anyway_says_what_is_missing(client, world):
    offer = offer_for(world, emergency_contact=False)
    client.force_login(offer.student.user)

    response = client.post(reverse("students:confirm", args=[offer.pk]), follow=True)

    assert "确认录用前须先填写紧急联系人" in response.content.decode()
    assert Application.objects.get(pk=offer.pk).status == "offered"


def test_after_giving_a_contact_the_student_confirms(client, world):
    offer = offer_for(world, emergency_contact=False)
    client.force_login(offer.student.user)

    response = client.post(
        reverse("safety:contact") + "?next=/me/",
        {"name": "王芳", "relation": "mother", "phone": "138 0013 8001", "next": "/me/"},
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    client.post(reverse("students:confirm", args=[offer.pk]))

    assert Placement.objects.filter(application=offer).exists()
    contact = EmergencyContact.objects.get(student=offer.student)
    assert (contact.name, contact.get_relation_display(), contact.phone) == (
        "王芳",
        "母亲",
        "13800138001",
    )


def test_a_bad_phone_is_named_and_what_was_typed_is_kept(client, world):
    offer = offer_for(world, emergency_contact=False)
    client.force_login(offer.student.user)

    response = client.post(
        reverse("safety:contact"), {"name": "王芳", "relation": "mother", "phone": "12345"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "不是有效的中国大陆手机号或固定电话" in html
    assert 'value="王芳"' in html and 'value="12345"' in html
    assert not EmergencyContact.objects.exists() or not EmergencyContact.objects.filter(
        student=offer.student
    )


def test_a_student_cannot_name_themself_as_their_emergency_contact(world):
    offer = offer_for(world, emergency_contact=False, phone="13900139001")

    with pytest.raises(Exception) as refused:
        services.emergency_contact_save(
            student=offer.student, name="自己", relation="other", phone="13900139001", actor=None
        )

    assert "不能是你本人的手机号" in str(refused.value)


def test_saving_again_replaces_the_one_contact(world, placement):
    for phone in ("13800138002", "13800138003"):
        services.emergency_contact_save(
            student=placement.student, name="李伟", relation="father", phone=phone, actor=None
        )

    assert EmergencyContact.objects.filter(student=placement.student).count() == 1
    assert EmergencyContact.objects.get(student=placement.student).phone == "13800138003"
    assert AuditEvent.objects.filter(action="safety.contact").count() == 2


def _placement_html(client, user, placement) -> str:
    client.force_login(user)
    return client.get(
        reverse("students:post_applicants", args=[placement.post_id])
    ).content.decode()


def test_the_host_unit_sees_the_contact_of_its_placed_student_whole(client, world, placement):
    html = _placement_html(client, world.yx_host, placement)

    assert "越秀在岗生家长" in html and "13800138000" in html


def test_the_county_sees_it_masked_and_its_reveal_is_audited(client, world, placement):
    html = _placement_html(client, world.yx_staff, placement)
    assert "138****8000" in html and "13800138000" not in html
    assert "越秀在岗生家长" not in html  # the contact's name is masked too, until the reveal

    response = client.post(reverse("safety:contact_reveal", args=[placement.pk]))

    assert "13800138000" in response.content.decode()
    assert "越秀在岗生家长" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    event = AuditEvent.objects.get(action="pii.reveal")
    assert event.actor == world.yx_staff and event.data["fields"] == ["emergency_contact"]
    assert "13800138000" not in str(event.data)


def test_the_city_reads_the_placement_but_not_the_contact(client, world, placement):
    html = _placement_html(client, world.gz_staff, placement)

    assert "越秀在岗生" in html
    assert "越秀在岗生家长" not in html and "8000" not in html.split("越秀在岗生", 1)[1][:400]


def test_the_host_unit_cannot_reveal_and_other_counties_get_404(client, world, placement):
    url = reverse("safety:contact_reveal", args=[placement.pk])
    client.force_login(world.yx_host)
    assert client.post(url).status_code == 403
    client.force_login(world.th_staff)
    assert client.post(url).status_code == 404


def test_after_the_practice_the_host_unit_sees_it_masked(client, world, placement):
    Placement.objects.filter(pk=placement.pk).update(
        status="completed", rating="good", hours=20, certificate_code="SAFETY000001"
    )

    html = _placement_html(client, world.yx_host, placement)

    assert "13800138000" not in html and "138****8000" in html


def test_the_contact_is_not_found_by_searching_its_phone(client, world, placement):
    client.force_login(world.yx_staff)

    found = client.get(reverse("students:county_students"), {"q": "13800138000"})

    assert "越秀在岗生" not in found.content.decode()


def test_staff_have_no_contact_page(client, world):
    client.force_login(world.yx_staff)
    assert client.get(reverse("safety:contact")).status_code == 404
