"""简报/简讯 in the browser. Views are thin: the selectors decide who reads what (404 for
outsiders), `require_write` refuses read-only readers (403), services change things, and every
change is a POST with CSRF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.models import Role
from accounts.scoping import require_write
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.views import form_save, paginate, photo_response
from reports import selectors, services
from reports.forms import CompileForm, MarkForm, ReportForm
from reports.models import Report

PAGE_SIZE = 20
FILTERS = ("level", "city", "kind", "status", "mark")


@login_required
@require_GET
def report_list(request):
    user = request.user
    caps = capabilities_for(user)
    params = {key: request.GET.get(key, "") for key in FILTERS}
    page = paginate(request, selectors.report_list(user, request.GET), PAGE_SIZE)
    compilable = set(selectors.compilable_for_user(user).values_list("pk", flat=True))
    return render(
        request,
        "reports/report_list.html",
        {
            "page": page,
            "params": params,
            "query": urlencode({k: v for k, v in params.items() if v}),
            "kinds": Report.Kind.choices,
            "statuses": Report.Status.choices,
            "marks": Report.Mark.choices,
            "cities": selectors.cities_for_filter(user),
            "can_submit": caps.can_submit_reports,
            "can_compile": caps.can_compile_reports,
            "compilable": compilable,
            "reads_units": caps.can_mark_reports,
        },
    )


def _author_unit(user) -> dict:
    if user.role == Role.UNIVERSITY:
        return {"university": user.university}
    return {"region": user.region}


@login_required
def report_create(request):
    user = request.user
    selectors.require_report_reader(user)
    require_write(capabilities_for(user).can_submit_reports)
    years = selectors.report_years_for_user(user)
    default = selectors.default_year(years)
    if default is None:
        raise Http404
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        years=years,
        initial={"programme_year": default, "kind": Report.Kind.BRIEFING},
    )
    if request.method == "POST" and form.is_valid():
        report = form_save(
            form,
            lambda: services.report_create(
                programme_year=form.cleaned_data["programme_year"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                photos=form.cleaned_data["photos"],
                actor=user,
                **_author_unit(user),
            ),
        )
        if report:
            messages.success(request, _("草稿已保存。检查无误后点击“上报”。"))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "title": _("撰写简报简讯")})


@login_required
@require_GET
def report_detail(request, pk: int):
    report, access = selectors.get_report_for_user(request.user, pk)
    province_marks = request.user.role == Role.PROVINCE
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "photos": report.photos.all(),
            "access": access,
            "mark_form": MarkForm(
                initial={
                    "mark": report.province_mark
                    if province_marks and report.province_mark != Report.Mark.UNREAD
                    else Report.Mark.READ,
                    "comment": report.province_comment if province_marks else report.city_comment,
                }
            ),
            "may_adopt": province_marks,
        },
    )


@login_required
def report_edit(request, pk: int):
    report, access = selectors.get_report_for_user(request.user, pk)
    require_write(selectors.is_author(request.user, report))
    if not access.can_write:
        messages.error(request, _("已上报，不能再修改。"))
        return redirect("reports:detail", pk=report.pk)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.report_update(
                report=report,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                add_photos=form.cleaned_data["photos"],
                remove_photos=[p.pk for p in form.cleaned_data["remove_photos"]],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "report": report, "title": _("修改简报简讯")},
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    report, access = selectors.get_report_for_user(request.user, pk)
    require_write(selectors.is_author(request.user, report))
    with refusals_as_messages(request):
        services.report_submit(report=report, actor=request.user)
        messages.success(request, _("已上报，上级团委阅处后您会收到通知。"))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_mark(request, pk: int):
    report, access = selectors.get_report_for_user(request.user, pk)
    require_write(access.can_review)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        with refusals_as_messages(request):
            services.report_mark(report=report, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已阅处，已通知上报单位。"))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def reports_compile(request):
    user = request.user
    selectors.require_report_reader(user)
    require_write(capabilities_for(user).can_compile_reports)
    # Another province's report is not the user's to name (404, as on its own page); one of
    # theirs compiled meanwhile is a form error below.
    chosen = {pk for pk in request.POST.getlist("reports") if pk.isdigit()}
    if len(chosen) != selectors.reports_for_user(user).filter(pk__in=chosen).count():
        raise Http404
    form = CompileForm(request.POST, reports=selectors.compilable_for_user(user))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reports:list")
    briefing = None
    with refusals_as_messages(request):
        briefing = services.reports_compile(
            province=user.region,
            reports=form.cleaned_data["reports"],
            title=form.cleaned_data["title"],
            actor=user,
        )
        messages.success(request, _("已汇编为简报草稿，可修改后发布；所选稿件已标记为“采用”。"))
    if briefing is None:
        return redirect("reports:list")
    return redirect("summary:briefing_detail", pk=briefing.pk)


@never_cache
@login_required
@require_GET
def report_photo(request, pk: int, photo_pk: int):
    """A report's photo, to whoever reads the report (never a public media URL)."""
    photo, _access = selectors.get_photo_for_user(request.user, pk, photo_pk)
    return photo_response(photo)
