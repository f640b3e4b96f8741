from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.scoping import require_write
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.views import form_save, paginate, query_without_page
from safety import selectors, services
from safety.exporters import InsuranceExporter
from safety.forms import EmergencyContactForm, InsuranceForm, SafetyRuleForm
from schedule.selectors import current_programme_year
from students.selectors import student_for_user

# The student's emergency contact --------------------------------------------------------------


def _next(request) -> str:
    """Back where the student came from (the offer they are confirming), if it is this site's."""
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else ""


@login_required
def contact(request):
    """紧急联系人: the student's own, one; saving again replaces it."""
    if not capabilities_for(request.user).is_student:
        raise Http404
    student = student_for_user(request.user)
    current = selectors.contact_of(student)
    initial = None
    if current:
        initial = {"name": current.name, "relation": current.relation, "phone": current.phone}
    form = EmergencyContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.emergency_contact_save(
                student=student, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("紧急联系人已保存。"))
            return redirect(_next(request) or "students:me")
    return render(
        request,
        "safety/contact.html",
        {"form": form, "contact": current, "next": _next(request)},
    )


@never_cache
@login_required
@require_POST
def contact_reveal(request, pk: int):
    """The county reads a placed student's emergency contact whole, and it is logged."""
    placement, access = selectors.get_placement_for_contact(request.user, pk)
    require_write(access.can_reveal)
    with refusals_as_messages(request):
        shown = services.emergency_contact_reveal(placement=placement, actor=request.user)
        # In this response only: never a message (a cookie) and never cached.
        return render(
            request, "safety/contact_revealed.html", {"contact": shown, "placement": placement}
        )
    return redirect(
        f"{reverse('students:post_applicants', args=[placement.post_id])}#placement-{placement.pk}"
    )


# Insurance -----------------------------------------------------------------------------------


@login_required
def insurance(request, pk: int):
    """One placement's 意外伤害保险: recorded by the county or the student's university."""
    placement, access = selectors.get_placement_for_insurance(request.user, pk)
    current = selectors.insurance_of(placement)
    if request.method == "POST":
        require_write(access.can_write)
    initial = None
    if current:
        initial = {
            field: getattr(current, field)
            for field in ("insurer", "policy_number", "starts_on", "ends_on")
        }
    elif access.can_write:  # the usual case: a policy for exactly the practice dates
        initial = {"starts_on": placement.post.starts_on, "ends_on": placement.post.ends_on}
    form = InsuranceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.insurance_save(
                placement=placement, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request, _("已登记%(name)s的意外伤害保险。") % {"name": placement.student.name}
            )
            return redirect("safety:insurance_list")
    context = {"placement": placement, "insurance": current, "form": form, "access": access}
    return render(request, "safety/insurance.html", context)


def _list_filters(request) -> dict:
    insured = request.GET.get("insured", "no")
    return {
        "season": request.GET.get("season", "")[:12],
        "insured": insured if insured in ("yes", "no", "all") else "no",
    }


@login_required
@require_GET
def insurance_list(request):
    """参保情况: who is not insured yet (by default), by season, before the practice starts."""
    filters = _list_filters(request)
    placements = selectors.insurance_list(request.user, **filters)
    return render(
        request,
        "safety/insurance_list.html",
        {
            "page": paginate(request, placements, 50),
            "filters": filters,
            "seasons": selectors.insurance_seasons(request.user),
            "can_write": request.user.role in selectors.INSURERS,
            "query": query_without_page(request),
        },
    )


@login_required
@require_GET
def insurance_export(request):
    filters = _list_filters(request)
    selectors.insurance_list(request.user, **filters)  # 404 for those who may not read it
    exporter = InsuranceExporter(request.user, **filters)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    region = request.user.region if request.user.region_id else request.user.university.province
    return export_response(exporter, fmt=fmt, region=region)


# The province's rule ---------------------------------------------------------------------------


@login_required
def rule(request, pk: int):
    """A programme year's safety setting: whether the 行前安全教育 must be recorded before an
    offer is confirmed. The province's calendar readers read it; 团省委 sets it."""
    programme_year, current, access = selectors.get_rule_for_user(request.user, pk)
    if request.method == "POST":
        require_write(access.can_write)
    required = bool(current and current.training_required)
    form = SafetyRuleForm(request.POST or None, initial={"training_required": required})
    if request.method == "POST" and form.is_valid():
        services.safety_rule_set(
            programme_year=programme_year,
            training_required=form.cleaned_data["training_required"],
            actor=request.user,
        )
        messages.success(request, _("已保存本年度的安全保障设置。"))
        return redirect("safety:rule", pk=programme_year.pk)
    context = {"programme_year": programme_year, "rule": current, "form": form, "access": access}
    return render(request, "safety/rule.html", context)


@login_required
@require_GET
def rule_current(request):
    """The sidebar's link: the programme year in force (or the latest)."""
    programme_year = current_programme_year(request.user)
    if programme_year is None:
        raise Http404
    return redirect("safety:rule", pk=programme_year.pk)
