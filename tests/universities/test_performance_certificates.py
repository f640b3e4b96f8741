"""在校表现证明 as a document: numbered, with its content, printable, verifiable on the public
verify page (masked name and validity only), revocable, and still filling the clearance."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from students.models import Clearance
from students.services import certificate_code_valid
from tests.race import race
from tests.universities.conftest import client_for
from universities import services
from universities.models import PerformanceCertificate

VERIFY = reverse("students:verify")


def _issue(uni, **fields):
    return services.certificate_issue(
        student=uni.a, season=uni.application.season, actor=uni.uni_staff, **fields
    )


def test_issuing_from_the_page_numbers_the_document_and_fills_the_clearance(uni):
    url = reverse("universities:certificate_issue", args=[uni.application.pk])
    client = client_for(uni.uni_staff)
    assert "遵守校纪校规" in client.get(url).content.decode()  # the standard words, editable

    response = client.post(url, {"statement": "该生品学兼优。"})

    certificate = PerformanceCertificate.objects.get()
    assert response.status_code == 302
    assert certificate_code_valid(certificate.number)
    assert (certificate.college, certificate.major, certificate.grade) == (
        "文学院",
        "汉语言文学",
        2022,
    )
    assert certificate.issuer == "共青团中山大学委员会"
    clearance = Clearance.objects.get(student=uni.a, season=uni.application.season)
    assert clearance.performance_certified_at is not None
    assert AuditEvent.objects.filter(action="performance.issue").exists()


def test_the_print_page_carries_the_content_and_the_number(uni):
    certificate = _issue(uni, statement="该生品学兼优。")

    page = client_for(uni.a.user).get(reverse("universities:certificate", args=[certificate.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    for part in (
        "越秀甲",
        "中山大学",
        "文学院",
        "汉语言文学",
        "2022级",
        "该生品学兼优。",
        "共青团中山大学委员会",
        certificate.number,
    ):
        assert part in text
    assert "<svg" in text  # the QR code to the verify page
    assert "撤销本证明" not in text  # the student prints; only the university revokes


def test_the_county_sees_the_certificate_as_issued_beside_the_applicant(uni):
    _issue(uni)

    page = client_for(uni.yx_staff).get(reverse("students:post_applicants", args=[uni.post_yx.pk]))

    assert "已开在校表现证明" in page.content.decode()


def test_a_second_certificate_for_the_same_season_is_refused(uni):
    _issue(uni)

    with pytest.raises(ValidationError, match="已开具"):
        _issue(uni)
    response = client_for(uni.uni_staff).post(
        reverse("universities:certificate_issue", args=[uni.application.pk]), {"statement": "再开"}
    )
    assert "本实践季已开具在校表现证明" in response.content.decode()


def test_the_verify_page_shows_a_masked_name_and_validity(uni, client):
    certificate = _issue(uni)

    page = client.get(VERIFY, {"code": certificate.number.lower()}).content.decode()

    assert "在校表现证明真实有效。" in page
    assert "越**" in page and "越秀甲" not in page
    assert "共青团中山大学委员会" in page


def test_a_revoked_certificate_is_shown_revoked_and_the_clearance_is_missing_again(uni, client):
    certificate = _issue(uni)
    response = client_for(uni.uni_staff).post(
        reverse("universities:certificate_revoke", args=[certificate.pk]), {"reason": "专业有误"}
    )

    assert response.status_code == 302
    page = client.get(VERIFY, {"code": certificate.number}).content.decode()
    assert "该在校表现证明已撤销，不再有效。" in page
    clearance = Clearance.objects.get(student=uni.a, season=uni.application.season)
    assert clearance.performance_certified_at is None
    # A new one may then be issued, with a new number.
    assert _issue(uni).number != certificate.number


def test_revoking_needs_a_reason(uni):
    certificate = _issue(uni)

    client_for(uni.uni_staff).post(
        reverse("universities:certificate_revoke", args=[certificate.pk]), {"reason": " "}
    )

    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_nobody_else_opens_or_revokes_the_certificate(uni):
    certificate = _issue(uni)
    page = reverse("universities:certificate", args=[certificate.pk])
    revoke = reverse("universities:certificate_revoke", args=[certificate.pk])

    for user in (uni.scut_staff, uni.pku_staff, uni.b.user, uni.yx_staff, uni.yx_host):
        assert client_for(user).get(page).status_code == 404
        assert client_for(user).post(revoke, {"reason": "越界"}).status_code == 404
    assert client_for(uni.a.user).post(revoke, {"reason": "越界"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_another_university_cannot_issue_for_someone_elses_student(uni):
    url = reverse("universities:certificate_issue", args=[uni.application.pk])

    assert client_for(uni.scut_staff).post(url, {"statement": "越界"}).status_code == 404
    assert client_for(uni.yx_staff).post(url, {"statement": "越界"}).status_code == 404
    assert not PerformanceCertificate.objects.exists()


def test_the_one_click_clearance_button_still_issues_a_numbered_certificate(uni):
    client_for(uni.uni_staff).post(
        reverse("students:clearance", args=[uni.application.pk, "performance"])
    )

    certificate = PerformanceCertificate.objects.get()
    assert "遵守校纪校规" in certificate.statement


def test_verifying_is_throttled_like_certificates(uni, client, settings):
    settings.CERTIFICATE_CHECKS_PER_MINUTE = 2
    number = _issue(uni).number

    answers = [client.get(VERIFY, {"code": number}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_issue_one_certificate():
    from accounts.models import Role
    from students import services as student_services
    from tests.factories import PostFactory, StudentFactory, UniversityFactory, region, staff

    university = UniversityFactory(name="中山大学", code="4144010558")
    officer = staff(Role.UNIVERSITY, university=university)
    student = StudentFactory(university=university, hometown=region("440104"))
    post = PostFactory()
    student_services.application_submit(student=student, post=post, actor=None)

    outcomes = race(
        [
            lambda: services.certificate_issue(student=student, season=post.season, actor=officer)
            for _ in range(2)
        ]
    )

    assert sorted(outcomes)[0] == "ok"
    assert PerformanceCertificate.objects.filter(student=student).count() == 1
