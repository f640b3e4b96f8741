"""The student's data download holds what the university wrote about them and sent them; an
erasure takes the recommendation and the certificate's words away, keeping its number."""

import json

from django.urls import reverse

from students import privacy
from tests.factories import PASSWORD
from tests.universities.conftest import client_for
from universities import services
from universities.models import PerformanceCertificate, Recommendation


def test_the_data_download_holds_recommendation_certificates_and_notices(uni):
    services.recommendation_save(student=uni.a, text="推荐该生", actor=uni.uni_staff)
    certificate = services.certificate_issue(
        student=uni.a, season=uni.application.season, actor=uni.uni_staff
    )
    services.notice_send(
        university=uni.sysu, actor=uni.uni_staff, category="activity", title="动员", body="报名"
    )

    response = client_for(uni.a.user).get(reverse("students:my_data"))
    data = json.loads(response.content)

    assert data["高校推荐"] == "推荐该生"
    assert data["在校表现证明"][0]["证明编号"] == certificate.number
    assert data["高校通知"][0]["标题"] == "动员"


def test_erasure_removes_the_recommendation_and_the_certificates_words(uni):
    services.recommendation_save(student=uni.a, text="推荐该生", actor=uni.uni_staff)
    certificate = services.certificate_issue(
        student=uni.a, season=uni.application.season, actor=uni.uni_staff, statement="品学兼优"
    )

    privacy.student_erase(student=uni.a, password=PASSWORD, actor=uni.a.user)

    certificate = PerformanceCertificate.objects.get(pk=certificate.pk)
    assert not Recommendation.objects.exists()
    assert (certificate.statement, certificate.major) == ("", "")
    assert certificate.number
