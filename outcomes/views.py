"""实践成果 in the browser. Views are thin: outcomes.selectors decides who reads which summary
(404 for outsiders), the student alone writes (403 for the other readers), services change
things, and every change is a POST with CSRF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.scoping import require_write
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.views import form_save, photo_response
from outcomes import selectors, services
from outcomes.forms import ConsentForm, OutcomeForm, OutcomeRuleForm
from outcomes.models import MAX_PHOTOS
from summary import selectors as summary_selectors

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "wps": "application/vnd.ms-works",
}


@login_required
@require_GET
def detail(request, pk: int):
    """A placement's 实践总结, to whoever reads the placement."""
    placement, outcome, access = selectors.get_outcome_for_user(request.user, pk)
    return render(
        request,
        "outcomes/detail.html",
        {
            "placement": placement,
            "outcome": outcome,
            "photos": outcome.photos.all() if outcome else [],
            "access": access,
            "rule": selectors.rule_for(placement.season.programme_year),
            "consent_form": ConsentForm(initial={"consent": outcome.consent}) if outcome else None,
        },
    )


@login_required
def edit(request, pk: int):
    """The student writes or revises the 实践总结 while it is open."""
    placement, outcome, access = selectors.get_outcome_for_user(request.user, pk)
    require_write(access.is_student)
    if not access.can_write:
        messages.error(request, _("期满鉴定已完成，实践总结不能再修改。"))
        return redirect("outcomes:detail", pk=placement.pk)
    rule = selectors.rule_for(placement.season.programme_year)
    form = OutcomeForm(request.POST or None, request.FILES or None, rule=rule, outcome=outcome)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = form_save(
            form,
            lambda: services.outcome_save(
                placement=placement,
                text=data["text"],
                add_photos=data["photos"],
                remove_photos=[photo.pk for photo in data.get("remove_photos") or ()],
                report=data["report"] or None,
                remove_report=data.get("remove_report", False),
                consent=data["consent"],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, _("实践总结已保存，用人单位和县级团委会在期满鉴定前阅读。"))
            return redirect("outcomes:detail", pk=placement.pk)
    return render(
        request,
        "outcomes/edit.html",
        {
            "form": form,
            "placement": placement,
            "outcome": outcome,
            "rule": rule,
            "max_photos": MAX_PHOTOS,
        },
    )


@login_required
@require_POST
def consent(request, pk: int):
    """The student gives or withdraws the consent to a typical case, at any time."""
    _placement, outcome, access = selectors.get_outcome_for_user(request.user, pk)
    require_write(access.can_consent)
    assert outcome is not None  # can_consent says so
    form = ConsentForm(request.POST)
    form.is_valid()  # a missing box is False
    with refusals_as_messages(request):
        services.outcome_consent_set(
            outcome=outcome, consent=form.cleaned_data.get("consent", False), actor=request.user
        )
        messages.success(request, _("已保存你的选择。"))
    return redirect("outcomes:detail", pk=pk)


@never_cache
@login_required
@require_GET
def photo(request, pk: int, photo_pk: int):
    """A summary's photo, to whoever reads the summary (never a public media URL)."""
    return photo_response(selectors.get_photo_for_user(request.user, pk, photo_pk))


@never_cache
@login_required
@require_GET
def report(request, pk: int):
    """A summary's report file, as an attachment under the name it was uploaded with."""
    _placement, outcome, _access = selectors.get_outcome_for_user(request.user, pk)
    if outcome is None or not outcome.report:
        raise Http404
    try:
        handle = outcome.report.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = outcome.report.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=outcome.report_name or f"report.{extension}",
        content_type=DOCUMENT_TYPES.get(extension, "application/octet-stream"),
    )


@login_required
def rule(request):
    """The province sets the year's minimum length of a 实践总结; the staff of the province read
    it (`?year=` another year)."""
    programme_year = summary_selectors.programme_year_for_user(
        request.user, request.GET.get("year")
    )
    if programme_year is None:
        raise Http404
    can_write = capabilities_for(request.user).can_review_cases
    current = selectors.rule_for(programme_year)
    form = OutcomeRuleForm(request.POST or None, initial={"min_chars": current.min_chars})
    if request.method == "POST":
        require_write(can_write)
        saved = form.is_valid() and form_save(
            form,
            lambda: services.outcome_rule_set(
                programme_year=programme_year,
                min_chars=form.cleaned_data["min_chars"],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, _("已保存，此后提交和修改的实践总结按新要求检查。"))
            return redirect(f"{request.path}?year={programme_year.year}")
    return render(
        request,
        "outcomes/rule.html",
        {
            "form": form,
            "rule": current,
            "programme_year": programme_year,
            "years": summary_selectors.programme_years_for_user(request.user),
            "can_write": can_write,
        },
    )
