"""The demo's 高校工作: 中山大学 has notices (some read), recommendations and numbered
certificates (one revoked); 北京大学 its own; running the seeder again adds nothing."""

from django.core.management import call_command

from demo.universities import seed_universities
from universities.models import (
    NoticeReceipt,
    PerformanceCertificate,
    Recommendation,
    UniversityNotice,
)


def _counts():
    return (
        UniversityNotice.objects.count(),
        NoticeReceipt.objects.count(),
        Recommendation.objects.count(),
        PerformanceCertificate.objects.count(),
    )


def test_the_demo_universities_have_notices_recommendations_and_certificates(db):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    seed_universities()

    assert _counts() == first
    sysu = {"university__code": "4144010558"}
    assert UniversityNotice.objects.filter(**sysu).count() == 2
    assert NoticeReceipt.objects.filter(
        notice__university__code="4144010558", read_at__isnull=False
    ).exists()
    assert Recommendation.objects.filter(**sysu).count() == 3
    assert PerformanceCertificate.objects.filter(**sysu, revoked_at__isnull=False).count() == 1
    assert PerformanceCertificate.objects.filter(**sysu, revoked_at__isnull=True).count() >= 3
    assert PerformanceCertificate.objects.filter(university__code="4111010001").exists()
