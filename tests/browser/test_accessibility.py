"""Accessibility, checked by axe-core in Chromium: every role's home page (工作台) and every
form, on the demo data, with no serious or critical violation and no English word on screen.
The main forms are checked again sent empty, with their error messages showing.

The student looks on a phone (390×844), staff on an office screen (1366×768). One seeding, one
logged-in context per person; every page's findings are gathered and reported together."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from playwright.sync_api import expect

from ledger.models import Entry
from positions.models import HostUnit, Post
from schedule.models import ProgrammeYear, UnitMilestone
from students.models import Application, Placement, Student
from tests.browser.checks import axe_violations, english_words, format_violations

DEMO_PASSWORD = "Demo@2026fjx"


def _pages() -> dict[str | None, tuple[str, list[str]]]:
    """Who looks (None: a visitor), on which device, at which pages; ids from the demo."""
    post = Post.objects.filter(host_unit__county__code="440104", status="published").first()
    unit = HostUnit.objects.filter(county__code="440104").first()
    entry = Entry.objects.filter(county__code="440104").first()
    year = ProgrammeYear.objects.get(province__code="440000")
    reported = Placement.objects.filter(status="reported", post__host_unit__county__code="440106")
    practising = reported.select_related("student__user", "post").first()
    completed = Placement.objects.filter(status="completed", student__user__username="yuexiu_s1")
    pending = UnitMilestone.objects.exclude(status="done").first()
    yuexiu_student = Student.objects.filter(hometown__code="440104").first()
    assert post and unit and entry and practising and completed.exists()
    assert pending and yuexiu_student
    uninsured = (  # issue 18: 越秀's current placement has no insurance in the demo
        Placement.objects.filter(post__host_unit__county__code="440104", insurance__isnull=True)
        .exclude(status="dropped")
        .first()
    )
    assert uninsured
    applicants = reverse("students:post_applicants", args=[practising.post_id])
    return {
        None: (
            "phone",
            [
                reverse("home"),
                reverse("accounts:login"),
                reverse("students:register"),
                reverse("positions:search"),
                reverse("positions:public_detail", args=[post.pk]),
                reverse("students:verify"),
            ],
        ),
        "yuexiu_pku": (
            "phone",
            [
                reverse("home"),
                reverse("students:me"),
                reverse("students:profile"),
                reverse("positions:public_detail", args=[post.pk]),  # the application form
                reverse("accounts:password_change"),
                *_student_university_pages("yuexiu_pku"),
            ],
        ),
        # Issue 18: an offer waiting for an emergency contact (what is missing, and its form).
        "yuexiu_s8": (
            "phone",
            [reverse("home"), reverse("students:me"), reverse("safety:contact")],
        ),
        # The practice log's form: a student who has reported.
        # ... and their 实践总结 form and page (issue 18).
        practising.student.user.username: (
            "phone",
            [
                reverse("students:me"),
                reverse("outcomes:edit", args=[practising.pk]),
                reverse("outcomes:detail", args=[practising.pk]),
            ],
        ),
        "yuexiu_s1": (
            "phone",
            [reverse("students:certificate", args=[completed.first().pk])],
        ),
        "gd_province": (
            "office",
            [
                reverse("home"),
                reverse("dashboards:region", args=["440000"]),
                reverse("schedule:calendar_edit", args=[year.pk]),
                reverse("accounts:account_list"),
                reverse("accounts:account_create"),
                reverse("summary:briefing_create"),
                reverse("outcomes:rule"),
                reverse("schedule:unit_extend", args=[pending.pk]),
                reverse("safety:rule", args=[year.pk]),
                reverse("accounts:password_change"),
            ],
        ),
        "gz_city": (
            "office",
            [
                reverse("home"),
                reverse("dashboards:region", args=["440100"]),
                reverse("schedule:plan"),
            ],
        ),
        "yuexiu": (
            "office",
            [
                reverse("home"),
                reverse("positions:post_list"),
                reverse("positions:post_create"),
                reverse("positions:post_edit", args=[post.pk]),
                reverse("positions:host_unit_create"),
                reverse("positions:host_unit_edit", args=[unit.pk]),
                reverse("students:post_applicants", args=[post.pk]),
                reverse("students:matching"),
                reverse("ledger:entry_list"),
                reverse("ledger:entry_create"),
                reverse("ledger:entry_detail", args=[entry.pk]),  # the contact record form
                reverse("ledger:channel_create"),
                reverse("ledger:event_create"),
                reverse("ledger:notice_create"),
                reverse("ledger:import_upload"),
                reverse("schedule:calendar"),  # the province's (181 × 9 cells) takes axe 20 s
                reverse("schedule:plan"),
                reverse("summary:case_create"),
                reverse("students:identity_correct", args=[yuexiu_student.pk]),
                reverse("safety:insurance_list"),
                reverse("safety:insurance", args=[uninsured.pk]),
            ],
        ),
        # The evaluation (期满鉴定) form: the host unit of a reported placement, and its county.
        "tianhe_host": ("office", [reverse("home"), applicants]),
        "tianhe": ("office", [applicants]),
        "sysu_uni": (
            "office",
            [
                reverse("home"),
                reverse("students:university_students"),
                reverse("students:credits"),
                *_university_pages(),
            ],
        ),
    }


def _student_university_pages(username: str) -> list[str]:
    """The student's copy of a notice from their university, and their 在校表现证明."""
    from universities.models import NoticeReceipt, PerformanceCertificate

    receipt = NoticeReceipt.objects.filter(student__user__username=username).first()
    certificate = PerformanceCertificate.objects.filter(student__user__username=username).first()
    assert receipt and certificate
    return [
        reverse("universities:my_notice", args=[receipt.pk]),
        reverse("universities:certificate", args=[certificate.pk]),
    ]


def _university_pages() -> list[str]:
    """中山大学's 高校工作 pages (universities/): dashboard, notices, recommendation, certificate."""
    from universities.models import PerformanceCertificate

    sysu = Student.objects.filter(university__code="4144010558")
    application = Application.objects.filter(student__in=sysu).first()
    certificate = PerformanceCertificate.objects.filter(university__code="4144010558").first()
    assert application and certificate
    return [
        reverse("universities:dashboard"),
        reverse("universities:notices"),
        reverse("universities:recommendations"),
        reverse("universities:recommend", args=[application.student_id]),
        reverse("universities:certificates"),
        reverse("universities:certificate_issue", args=[application.pk]),
        reverse("universities:certificate", args=[certificate.pk]),
    ]


# Forms checked a second time, sent empty: their error messages must be accessible too.
SENT_EMPTY = {
    reverse_lazy("students:register"),
    reverse_lazy("accounts:account_create"),
    reverse_lazy("positions:post_create"),
    reverse_lazy("positions:host_unit_create"),
    reverse_lazy("ledger:entry_create"),
    reverse_lazy("safety:contact"),
    reverse_lazy("universities:notices"),
}


def _log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}{reverse('accounts:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    expect(page).not_to_have_url(f"{url}{reverse('accounts:login')}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_roles_home_page_and_every_form_pass_axe_and_speak_chinese(
    live_server, phone_page, office_page
):
    call_command("load_regions", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    url = live_server.url
    findings, looked = [], 0
    for username, (device, paths) in _pages().items():
        page = (phone_page if device == "phone" else office_page)()
        if username:
            _log_in(page, url, username)
        for path in paths:
            response = page.goto(f"{url}{path}")
            where = f"{username or '访客'} {path}"
            assert response.ok, f"{where} answered {response.status}"
            looked += 1
            if violations := axe_violations(page):
                findings.append(format_violations(where, violations))
            if words := english_words(page):
                findings.append(f"{where} shows English: {', '.join(words)}")
            if path in {str(empty) for empty in SENT_EMPTY}:
                page.locator("main form[method=post] [type=submit]").first.click()
                expect(page.locator(".invalid-feedback").first).to_be_visible()
                if violations := axe_violations(page):
                    findings.append(format_violations(f"{where}（空表单提交后）", violations))
    assert looked > 40
    assert not findings, "\n".join(findings)
