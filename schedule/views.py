from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.models import Role
from accounts.scoping import require_write
from fanjiaxiang import outbox
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import add_service_errors, refusals_as_messages
from positions.models import Region
from schedule import selectors, services
from schedule.exporters import ProgressReportExporter
from schedule.forms import (
    CalendarForm,
    CustomMilestoneForm,
    ExcuseForm,
    ExtensionForm,
    OnboardingForm,
    PlanForm,
    PlanReviewForm,
    ProgrammeYearCreateForm,
    ProgressReportForm,
    ProgressRowForm,
    ProgressRowFormSet,
    UnitDoneForm,
    progress_rows,
)
from schedule.models import Onboarding, Plan, ProgressReport, UnitMilestone


def _year(request):
    programme_year = selectors.current_programme_year(request.user, request.GET.get("year"))
    if programme_year is None:
        raise Http404
    return programme_year


@login_required
@require_GET
def calendar(request):
    """Each committee's calendar: its own milestones, the units below it (a matrix), the county
    quota, and for the province the buttons that edit the year."""
    user = request.user
    selectors.require_calendar_reader(user)
    programme_year = selectors.current_programme_year(user, request.GET.get("year"))
    if programme_year is None:
        return render(request, "schedule/calendar.html", {"programme_year": None})
    city = None
    if user.role == Role.PROVINCE and request.GET.get("city"):
        city = Region.objects.filter(
            code=request.GET["city"], parent=user.region, level="city"
        ).first()
    regions = selectors.units_in_view(user, programme_year, city)
    milestones, rows = selectors.matrix(programme_year, regions)
    overdue_only = request.GET.get("status") == "overdue"
    own, below = rows[0], rows[1:]
    if overdue_only:
        below = [
            row
            for row in below
            if any(u and u.status == UnitMilestone.Status.OVERDUE for _m, u, _a in row[1])
        ]
    quotas = list(
        selectors.quotas_in_view(user, programme_year).order_by(
            "-at_risk", "reported", "region__code"
        )[:300]
    )
    context = {
        "programme_year": programme_year,
        "years": selectors.programme_years_for_user(user),
        "milestones": milestones,
        "own": own,
        "below": below,
        "quotas": quotas,
        "at_risk": sum(1 for q in quotas if q.at_risk),
        "today": timezone.localdate(),
        "cities": Region.objects.filter(parent=user.region, level="city").order_by("code")
        if user.role == Role.PROVINCE
        else [],
        "city": city,
        "units_word": user.region.units_word,  # 镇街 for 东莞's and 中山's committees
        "overdue_only": overdue_only,
        "plan": Plan.objects.filter(programme_year=programme_year, region=user.region).first(),
        "plans_to_review": selectors.plans_to_review(user, programme_year)
        if capabilities_for(user).can_review_plans
        else [],
        "onboarding": Onboarding.objects.filter(
            programme_year=programme_year, region=user.region
        ).first(),
        "university_rows": None,
    }
    if user.role == Role.PROVINCE and not city:
        context["university_milestones"], context["university_rows"] = selectors.university_matrix(
            programme_year
        )
        if overdue_only:
            context["university_rows"] = [
                row
                for row in context["university_rows"]
                if any(u and u.status == UnitMilestone.Status.OVERDUE for _m, u, _a in row[1])
            ]
    return render(request, "schedule/calendar.html", context)


@login_required
def calendar_edit(request, pk: int):
    programme_year, access = selectors.get_programme_year_for_user(request.user, pk)
    require_write(access.can_write)
    form = CalendarForm(request.POST or None, programme_year=programme_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_update(
                programme_year=programme_year, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("工作日程已保存。"))
            return redirect(f"{_calendar_url()}?year={programme_year.year}")
    custom = programme_year.milestones.filter(code="custom").annotate(
        done=Count("units", filter=Q(units__status=UnitMilestone.Status.DONE))
    )
    return render(
        request,
        "schedule/calendar_edit.html",
        {"form": form, "programme_year": programme_year, "custom": custom.order_by("due", "pk")},
    )


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("schedule:calendar")


@login_required
def programme_year_new(request):
    user = request.user
    selectors.require_calendar_reader(user)
    require_write(capabilities_for(user).can_edit_calendar)
    form = ProgrammeYearCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        services.programme_year_create(province=user.region, year=year)
        messages.success(
            request, _("已按默认日程建立 %(year)s 年度，可继续修改日期。") % {"year": year}
        )
        return redirect(f"{_calendar_url()}?year={year}")
    return render(
        request,
        "schedule/form_page.html",
        {"form": form, "title": _("新建活动年度"), "submit": _("建立")},
    )


@login_required
def unit_extend(request, pk: int):
    unit, access = selectors.get_unit_for_user(request.user, pk)
    require_write(access.can_write)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_grant(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已批准延期。"))
            return redirect(f"{_calendar_url()}?year={unit.milestone.programme_year.year}")
    return render(
        request,
        "schedule/form_page.html",
        {
            "form": form,
            "unit": unit,
            "title": _("批准延期：%(unit)s · %(milestone)s")
            % {"unit": unit.unit_name, "milestone": unit.milestone.get_code_display()},
            "submit": _("批准延期"),
        },
    )


@login_required
def unit_excuse(request, pk: int):
    unit, access = selectors.get_unit_for_user(request.user, pk)
    require_write(access.can_write)
    form = ExcuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_excuse(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已豁免。"))
            return redirect(f"{_calendar_url()}?year={unit.milestone.programme_year.year}")
    return render(
        request,
        "schedule/form_page.html",
        {
            "form": form,
            "unit": unit,
            "title": _("豁免节点：%(unit)s · %(milestone)s")
            % {"unit": unit.unit_name, "milestone": unit.milestone.get_code_display()},
            "submit": _("豁免"),
        },
    )


@login_required
@require_POST
def summary_done(request, pk: int):
    programme_year, access = selectors.get_programme_year_for_user(request.user, pk)
    require_write(access.can_write)
    with refusals_as_messages(request):
        services.summary_mark_done(programme_year=programme_year, actor=request.user)
        messages.success(request, _("已记录年度总结表扬完成。"))
    return redirect(f"{_calendar_url()}?year={programme_year.year}")


@login_required
@require_POST
def enforce_now(request):
    """The province runs today's enforcement for its province now, in the background."""
    from schedule.tasks import enforce_calendar

    user = request.user
    selectors.require_calendar_reader(user)
    require_write(capabilities_for(user).can_edit_calendar)
    day = timezone.localdate().isoformat()
    outbox.enqueue(enforce_calendar, day, user.region_id)
    messages.success(request, _("已开始更新今天的进度、提醒和预警，稍后刷新本页查看。"))
    return redirect("schedule:calendar")


# Plans and onboarding --------------------------------------------------------------------------


@login_required
def plan(request):
    """The city's or county's own implementation plan: upload, status, the reviewer's comments."""
    user = request.user
    selectors.require_calendar_reader(user)
    if not capabilities_for(user).can_submit_plan:
        raise Http404
    programme_year = _year(request)
    current = Plan.objects.filter(programme_year=programme_year, region=user.region).first()
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_submit(
                programme_year=programme_year,
                region=user.region,
                document=form.cleaned_data["document"],
                actor=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("实施方案已提交，等待上级审核。"))
            return redirect("schedule:plan")
    return render(
        request,
        "schedule/plan.html",
        {
            "form": form,
            "plan": current,
            "versions": _versions(current),
            "programme_year": programme_year,
        },
    )


def _versions(plan: Plan | None) -> list:
    """The plan's earlier submissions, newest first, with their reviewers (one query)."""
    return list(plan.versions.select_related("reviewed_by")) if plan else []


@login_required
def plan_detail(request, pk: int):
    plan, access = selectors.get_plan_for_user(request.user, pk)
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST":
        selectors.require_reviewer(access.can_review)
        if form.is_valid():
            try:
                services.plan_review(
                    plan=plan,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("审核结果已保存，已通知提交单位。"))
                return redirect("schedule:plan_detail", pk=plan.pk)
    return render(
        request,
        "schedule/plan_detail.html",
        {
            "plan": plan,
            "versions": _versions(plan),
            "form": form,
            "can_review": access.can_review and plan.status == Plan.Status.SUBMITTED,
        },
    )


@login_required
@require_GET
@never_cache
def plan_download(request, pk: int):
    plan, _access = selectors.get_plan_for_user(request.user, pk)
    try:
        handle = plan.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=plan.original_name)


@login_required
@require_GET
@never_cache
def plan_version_download(request, pk: int, number: int):
    """An earlier submission's file, to whoever may read the plan."""
    plan, _access = selectors.get_plan_for_user(request.user, pk)
    version = get_object_or_404(plan.versions, number=number)
    try:
        handle = version.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=version.original_name)


@login_required
def onboarding(request):
    """The county confirms it is on the portal (入驻) with its staff and contact details."""
    user = request.user
    selectors.require_calendar_reader(user)
    require_write(capabilities_for(user).can_confirm_onboarding)
    programme_year = _year(request)
    current = Onboarding.objects.filter(programme_year=programme_year, region=user.region).first()
    initial = (
        {
            "contact_name": current.contact_name,
            "contact_phone": current.contact_phone,
            "email": current.email,
            "address": current.address,
        }
        if current
        else {"contact_name": user.name, "contact_phone": user.phone, "email": user.email}
    )
    form = OnboardingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.onboarding_confirm(
                programme_year=programme_year, region=user.region, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已确认入驻。"))
            return redirect("schedule:calendar")
    staff = services.staff_of([user.region_id])
    return render(
        request,
        "schedule/onboarding.html",
        {"form": form, "onboarding": current, "staff": staff, "programme_year": programme_year},
    )


# The province's own milestones -----------------------------------------------------------------


@login_required
def milestone_new(request, pk: int):
    programme_year, access = selectors.get_programme_year_for_user(request.user, pk)
    require_write(access.can_write)
    form = CustomMilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(
                programme_year=programme_year, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已新增节点。"))
            return redirect("schedule:calendar_edit", pk=programme_year.pk)
    return render(
        request,
        "schedule/form_page.html",
        {
            "form": form,
            "title": _("新增省级自定节点（%(year)s）") % {"year": programme_year},
            "submit": _("新增"),
        },
    )


@login_required
def milestone_edit(request, pk: int):
    milestone, access = selectors.get_custom_milestone_for_user(request.user, pk)
    require_write(access.can_write)
    initial = {
        name: getattr(milestone, name)
        for name in ("title", "due", "description", "for_city", "for_county", "for_university")
    }
    form = CustomMilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_change(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("节点已保存。"))
            return redirect("schedule:calendar_edit", pk=milestone.programme_year_id)
    return render(
        request,
        "schedule/form_page.html",
        {
            "form": form,
            "title": _("修改节点：%(title)s") % {"title": milestone.title},
            "submit": _("保存"),
        },
    )


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone, access = selectors.get_custom_milestone_for_user(request.user, pk)
    require_write(access.can_write)
    with refusals_as_messages(request):
        services.milestone_delete(milestone=milestone, actor=request.user)
        messages.success(request, _("节点已删除。"))
    return redirect("schedule:calendar_edit", pk=milestone.programme_year_id)


@login_required
def unit_done(request, pk: int):
    """The unit marks a province's own milestone done (标记完成), with a note and a file."""
    unit, access = selectors.get_unit_for_user(request.user, pk)
    if not access.can_mark_done:
        raise PermissionDenied
    form = UnitDoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_milestone_complete(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已标记完成，上级可在工作日程中看到完成时间。"))
            return redirect(services.unit_calendar_url(unit))
    return render(
        request,
        "schedule/unit_done.html",
        {"form": form, "unit": unit, "milestone": unit.milestone},
    )


@login_required
@require_GET
@never_cache
def unit_done_download(request, pk: int):
    unit, _access = selectors.get_unit_for_user(request.user, pk)
    if not unit.done_file:
        raise Http404
    try:
        handle = unit.done_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=unit.done_file_name)


@login_required
@require_GET
def university_calendar(request):
    """A university's milestones in each province whose programme it takes part in."""
    user = request.user
    if not capabilities_for(user).can_read_own_milestones:
        raise Http404
    today = timezone.localdate()
    years = selectors.university_programme_years(user)
    units = list(
        UnitMilestone.objects.filter(
            milestone__programme_year__in=years, university_id=user.university_id
        )
        .select_related("milestone__programme_year__province")
        .order_by("-milestone__programme_year__year", "milestone__due", "pk")
    )
    return render(
        request,
        "schedule/university_calendar.html",
        {"units": units, "today": today, "university": user.university},
    )


# Quarterly progress reports (项目推进表) --------------------------------------------------------


@login_required
@require_GET
def progress_list(request):
    """The province: every city and university × quarter, who is missing; a city or a
    university: its own quarters."""
    user = request.user
    caps = capabilities_for(user)
    if not caps.can_read_progress:
        raise Http404
    context: dict = {"today": timezone.localdate()}
    if user.role == Role.UNIVERSITY:
        context["own"] = selectors.progress_own(user, selectors.university_programme_years(user))
        return render(request, "schedule/progress_list.html", context)
    programme_year = selectors.current_programme_year(user, request.GET.get("year"))
    context.update(programme_year=programme_year, years=selectors.programme_years_for_user(user))
    if programme_year is None:
        return render(request, "schedule/progress_list.html", context)
    if user.role == Role.PROVINCE:
        overview = selectors.progress_overview(
            programme_year, context["today"], missing_only=request.GET.get("missing") == "1"
        )
        context["overview"] = overview
        context["overview_sections"] = [
            (_("地市团委"), overview["cities"]),
            (_("高校团委"), overview["universities"]),
        ]
    else:
        context["own"] = selectors.progress_own(user, [programme_year])
    return render(request, "schedule/progress_list.html", context)


@login_required
def progress_edit(request, pk: int, quarter: str):
    """The city or university fills in its report for a quarter: save as draft or submit."""
    slot = selectors.get_progress_slot_for_user(request.user, pk, quarter)
    report = slot["report"]
    if report is not None and report.status == ProgressReport.Status.SUBMITTED:
        return redirect("schedule:progress_detail", pk=report.pk)
    initial_rows = (
        [{f: getattr(row, f) for f in ProgressRowForm.base_fields} for row in report.rows.all()]
        if report
        else []
    )
    data = request.POST if request.method == "POST" else None
    form = ProgressReportForm(
        data, initial={"contact": report.contact, "note": report.note} if report else None
    )
    rows = ProgressRowFormSet(data, initial=initial_rows or None, prefix="rows")
    if data is not None and "add_row" in data:
        # No JavaScript needed: the page comes back with what was typed and one more line.
        rows = _formset_with_one_more(data)
    elif data is not None and form.is_valid() and rows.is_valid():
        try:
            saved = services.progress_report_save(
                programme_year=slot["programme_year"],
                quarter=quarter,
                region=slot["region"],
                university=slot["university"],
                rows=progress_rows(rows),
                submit="submit" in data,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if saved.status == ProgressReport.Status.SUBMITTED:
                messages.success(request, _("项目推进表已报送，团省委可以查看。"))
                return redirect("schedule:progress_detail", pk=saved.pk)
            messages.success(request, _("草稿已保存，报送前可以继续修改。"))
            return redirect("schedule:progress_edit", pk=pk, quarter=quarter)
    elif data is None and not initial_rows:
        rows = ProgressRowFormSet(prefix="rows", initial=None)
        rows.extra = 1
    return render(
        request,
        "schedule/progress_edit.html",
        {
            **slot,
            "form": form,
            "rows": rows,
            "quarter_label": ProgressReport.Quarter(quarter).label,
            "unit_name": (slot["region"] or slot["university"]).name,
            "milestone": slot["programme_year"]
            .milestones.filter(code=f"progress_{quarter}")
            .first(),
        },
    )


def _formset_with_one_more(data):
    copy = data.copy()
    total = int(copy.get("rows-TOTAL_FORMS") or 0)
    copy["rows-TOTAL_FORMS"] = str(min(total + 1, 100))
    rows = ProgressRowFormSet(copy, prefix="rows")
    rows.full_clean()
    # Not submitted yet: what was typed is shown again without error messages.
    rows._non_form_errors = rows.error_class()
    for each in rows.forms:
        each._errors = ErrorDict()
    rows._errors = [each._errors for each in rows.forms]
    return rows


@login_required
@require_GET
def progress_detail(request, pk: int):
    report, access = selectors.get_progress_report_for_user(request.user, pk)
    return render(
        request,
        "schedule/progress_detail.html",
        {"report": report, "rows": list(report.rows.all()), "access": access},
    )


@login_required
@require_GET
def progress_export(request, pk: int):
    report, _access = selectors.get_progress_report_for_user(request.user, pk)
    return export_response(
        ProgressReportExporter(request.user, report=report),
        fmt="xlsx",
        region=report.region or report.programme_year.province,
    )
