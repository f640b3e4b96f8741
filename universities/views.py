"""高校工作: the university's dashboard, notices, recommendations and 在校表现证明; the
student's notices. Every view goes through the scoped selectors (404 outside the scope)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fanjiaxiang.exporters import export_response
from fanjiaxiang.views import form_save, paginate
from students import credits
from students import selectors as student_selectors
from students.certificates import qr_svg, verify_url
from students.forms import CreditFilterForm
from universities import selectors, services
from universities.exporters import DashboardExporter
from universities.forms import CertificateIssueForm, NoticeForm, RecommendationForm, RevokeForm

# The dashboard ---------------------------------------------------------------------------------


def _filters(request) -> tuple[CreditFilterForm, dict, str]:
    """Programme year and season (the credits page's filters); the province drilled into."""
    form = CreditFilterForm(request.GET or None, years=credits.credit_years())
    values = form.values()
    province = request.GET.get("province", "")
    values["province"] = province if province.isdigit() and len(province) == 6 else ""
    query = urlencode({k: v for k, v in values.items() if v and k != "province"})
    return form, values, query


@login_required
@require_GET
def dashboard(request):
    """本校学生参与统计: the university's students by hometown province, or one province's
    counties, with the same few queries however many students there are."""
    selectors.university_of(request.user)
    form, values, query = _filters(request)
    counts = selectors.dashboard_counts(request.user, year=values["year"], season=values["season"])
    province = values["province"]
    if province:
        rows = selectors.dashboard_counties(counts, province)
        if not rows:
            raise Http404  # no student of this university comes from there
        heading = rows[0].region.parent.parent.name
    else:
        rows, heading = selectors.dashboard_by_province(counts), ""
    return render(
        request,
        "universities/dashboard.html",
        {
            "filters": form,
            "query": query,
            "rows": rows,
            "total": selectors.dashboard_total(rows),
            "province": province,
            "heading": heading,
        },
    )


@login_required
@require_GET
def dashboard_export(request):
    university = selectors.university_of(request.user)
    _form, values, _query = _filters(request)
    exporter = DashboardExporter(request.user, **values)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(exporter, fmt=fmt, region=university.province)


# Notices ---------------------------------------------------------------------------------------


def _notice_form(request, university):
    return NoticeForm(
        request.POST if request.method == "POST" else None,
        colleges=selectors.notice_colleges(university),
        grades=selectors.notice_grades(university),
    )


@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    """The university's notices with their read counts, and the form to send one."""
    university = selectors.university_of(request.user)
    form = _notice_form(request, university)
    if request.method == "POST" and form.is_valid():
        notice = form_save(
            form,
            lambda: services.notice_send(
                university=university, actor=request.user, **form.cleaned_data
            ),
        )
        if notice is not None:
            messages.success(request, _("通知已发送给 %(n)s 名学生。") % {"n": notice.recipients})
            return redirect("universities:notice_detail", pk=notice.pk)
    return render(
        request,
        "universities/notices.html",
        {"form": form, "page": paginate(request, selectors.notices_for_user(request.user), 20)},
    )


@login_required
@require_GET
def notice_detail(request, pk: int):
    notice = selectors.get_notice_for_user(request.user, pk)
    return render(request, "universities/notice_detail.html", {"notice": notice})


@login_required
@require_http_methods(["GET", "POST"])
def my_notice(request, pk: int):
    """The student's own copy: the page POSTs back once loaded to count the read (htmx), so a
    link preview or mail scanner that only fetches the page counts nothing."""
    receipt = selectors.get_receipt_for_user(request.user, pk)
    if request.method == "POST":
        services.receipt_mark_read(receipt=receipt)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return redirect("students:me")
    return render(request, "universities/my_notice.html", {"receipt": receipt})


# Recommendations -------------------------------------------------------------------------------


@login_required
@require_GET
def recommendations(request):
    """The university's students (search by name or student number) and its recommendations."""
    university = selectors.university_of(request.user)
    q = request.GET.get("q", "").strip()[:30]
    students = student_selectors.students_for_user(request.user).filter(anonymised_at__isnull=True)
    if q:
        students = students.filter(name__contains=q) | students.filter(student_number=q)
    students = students.select_related("recommendation").order_by("college", "student_number")
    return render(
        request,
        "universities/recommendations.html",
        {"page": paginate(request, students, 30), "q": q, "university": university},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request, pk: int):
    student = selectors.get_student_for_university(request.user, pk)
    existing = getattr(student, "recommendation", None)
    initial = {"text": existing.text if existing else ""}
    form = RecommendationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        saved = form_save(  # the service returns nothing when an empty text withdrew it
            form,
            lambda: (
                services.recommendation_save(student=student, text=text, actor=request.user)
                or "withdrawn"
            ),
        )
        if saved is not None:
            messages.success(
                request, _("推荐意见已撤回。") if saved == "withdrawn" else _("推荐意见已保存。")
            )
            return redirect("universities:recommendations")
    return render(
        request,
        "universities/recommend.html",
        {"student": student, "form": form, "existing": existing},
    )


# 在校表现证明 --------------------------------------------------------------------------------


@login_required
@require_GET
def certificates(request):
    selectors.university_of(request.user)
    issued = selectors.certificates_for_user(request.user)
    return render(
        request, "universities/certificates.html", {"page": paginate(request, issued, 30)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_issue(request, pk: int):
    """Issue the 在校表现证明 for an application's student and season, with the university's
    own words (the standard statement filled in)."""
    application, access = student_selectors.get_application_for_user(request.user, pk)
    if not access.can_certify:
        raise Http404
    initial = {"statement": services.default_statement(application.student)}
    form = CertificateIssueForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        certificate = form_save(
            form,
            lambda: services.certificate_issue(
                student=application.student,
                season=application.season,
                statement=form.cleaned_data["statement"],
                actor=request.user,
            ),
        )
        if certificate is not None:
            messages.success(request, _("已开具在校表现证明 %(n)s。") % {"n": certificate.number})
            return redirect("universities:certificate", pk=certificate.pk)
    return render(
        request,
        "universities/certificate_issue.html",
        {
            "application": application,
            "form": form,
            "existing": selectors.valid_certificate(application.student_id, application.season_id),
        },
    )


@login_required
@require_GET
def certificate(request, pk: int):
    """The printable 在校表现证明 (the browser's print gives the sheet: print CSS)."""
    certificate, access = selectors.get_certificate_for_user(request.user, pk)
    return render(
        request,
        "universities/certificate.html",
        {
            "certificate": certificate,
            "access": access,
            "qr": qr_svg(verify_url(request, certificate.number)),
            "verify_page": verify_url(request),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate, access = selectors.get_certificate_for_user(request.user, pk)
    if not access.can_revoke:
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        revoked = form_save(
            form,
            lambda: services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
            ),
        )
        if revoked is not None:
            messages.success(request, _("证明已撤销。"))
            return redirect("universities:certificate", pk=certificate.pk)
    for error in form.errors.get("reason", []) + form.non_field_errors():
        messages.error(request, str(error))
    return redirect(f"{reverse('universities:certificate', args=[certificate.pk])}#revoke")
