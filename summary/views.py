"""The annual summary in the browser. Views are thin: the selectors decide who reads what (404
for outsiders), `require_write` refuses read-only readers (403), services change things, and
every change is a POST with CSRF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.models import Role
from accounts.scoping import require_write
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.params import year_param
from fanjiaxiang.views import form_save, paginate, photo_response
from outcomes import selectors as outcome_selectors
from summary import five, scoring, selectors, services
from summary.exporters import EXPORTERS, FiveTasksExporter
from summary.forms import (
    AdjustForm,
    BriefingForm,
    CaseForm,
    CaseRuleForm,
    CityActivityForm,
    CommendForm,
    PublishForm,
    ReviewForm,
    RuleForm,
)
from summary.models import Briefing, CityActivity, Score, TypicalCase

PAGE_SIZE = 20
RULE_TITLES = {
    "county": _lazy("县级团委"),
    "city": _lazy("市级团委"),
    "university": _lazy("高校团委"),
}
PUBLISH_DRAFT = "summary_publish_draft"
REVIEW_DRAFT = "summary_review_draft"
RULE_DRAFT = "summary_case_rule_draft"


def _year_or_404(request):
    programme_year = selectors.programme_year_for_user(request.user, request.GET.get("year"))
    if programme_year is None:
        raise Http404
    return programme_year


def _scores_url(programme_year) -> str:
    return f"{reverse('summary:scores')}?year={programme_year.year}"


# Scores ----------------------------------------------------------------------------------------


@login_required
@require_GET
def scores(request):
    """The year's scores: the province's whole table with its controls; after publication, a
    city's counties; a county's or a university's own score."""
    user = request.user
    selectors.require_summary_reader(user)
    programme_year = selectors.programme_year_for_user(user, request.GET.get("year"))
    publication = selectors.publication_of(programme_year)
    rules = selectors.year_rules(programme_year) if programme_year else scoring_defaults()
    context = {
        "programme_year": programme_year,
        "years": selectors.programme_years_for_user(user),
        "publication": publication,
        "county_parts": rules["county"],
        "city_parts": rules["city"],
        "university_parts": rules["university"],
        "formula_sections": [
            (RULE_TITLES[kind], rules[kind]) for kind in ("county", "city", "university")
        ],
        "can_commend": capabilities_for(user).can_review_scores and publication is None,
    }
    if programme_year is not None:
        found = list(selectors.scores_for_user(user, programme_year, published=bool(publication)))
        computed_at = max((s.computed_at for s in found), default=None)
        context |= {
            "counties": _with_rows(_of_kind(found, Score.Kind.COUNTY, user)),
            "cities": _with_rows(_of_kind(found, Score.Kind.CITY, user)),
            "universities": _with_rows(_of_kind(found, Score.Kind.UNIVERSITY, user)),
            "own": _with_rows(_own_scores(found, user)),
            "computed_at": computed_at,
            "rule_changed": computed_at is not None
            and any(
                r.updated_at > computed_at for r in selectors.stored_rules(programme_year).values()
            ),
            "commended_count": sum(1 for s in found if s.commended),
            "publish_form": PublishForm(initial=request.session.pop(PUBLISH_DRAFT, None)),
        }
    return render(request, "summary/scores.html", context)


def scoring_defaults() -> dict:
    return {kind: scoring.ruled(kind) for kind in scoring.PARTS}


def _own_scores(found: list[Score], user) -> list[Score]:
    """The user's own unit's score (a city's, a county's, a university's), shown as a card."""
    return [
        s
        for s in found
        if (s.region_id and s.region_id == user.region_id)
        or (s.university_id and s.university_id == user.university_id)
    ]


def _of_kind(found: list[Score], kind: str, user) -> list[Score]:
    """The tables' rows: a city reads its counties in a table, its own score as a card."""
    rows = [s for s in found if s.kind == kind]
    if user.role == Role.CITY:
        rows = [s for s in rows if s.region_id != user.region_id]
    return rows


def _with_rows(scores: list[Score]) -> list[Score]:
    for score in scores:
        # The parts as the page shows them, beside the score.
        score.rows = scoring.rows(score.kind, score.figures, score.parts)  # type: ignore[attr-defined]
    return scores


@login_required
@require_POST
def scores_recompute(request, pk: int):
    user = request.user
    programme_year, access = selectors.get_programme_year_for_user(user, pk)
    require_write(access.can_write)
    with refusals_as_messages(request):
        count = services.scores_recompute(programme_year=programme_year, actor=user)
        messages.success(
            request,
            _("已按最新数据计算 %(count)s 个单位的评分，省级调整保持不变。") % {"count": count},
        )
    return redirect(_scores_url(programme_year))


@login_required
def score_detail(request, pk: int):
    """One score with its parts; provincial staff adjust it here (POST) until publication."""
    score, access = selectors.get_score_for_user(request.user, pk)
    published = selectors.publication_of(score.programme_year)
    form = AdjustForm(
        request.POST or None,
        initial={"adjustment": score.adjustment, "reason": score.adjustment_reason},
    )
    if request.method == "POST":
        require_write(access.can_write)
        if form.is_valid() and form_save(
            form,
            lambda: services.score_adjust(score=score, actor=request.user, **form.cleaned_data),
        ):
            messages.success(request, _("已调整 %(unit)s 的得分。") % {"unit": score.unit_name})
            return redirect(_scores_url(score.programme_year))
    return render(
        request,
        "summary/score_detail.html",
        {
            "score": score,
            "rows": scoring.rows(score.kind, score.figures, score.parts),
            "form": form,
            "can_adjust": access.can_write and published is None,
            "publication": published,
        },
    )


@login_required
@require_POST
def commendations_choose(request, pk: int):
    user = request.user
    programme_year, access = selectors.get_programme_year_for_user(user, pk)
    require_write(access.can_write)
    form = CommendForm(request.POST, programme_year=programme_year)
    if not form.is_valid():
        messages.error(request, _("所选单位不属于本年度评分，请刷新后重试。"))
    else:
        with refusals_as_messages(request):
            count = services.commendations_choose(
                programme_year=programme_year, scores=form.cleaned_data["commended"], actor=user
            )
            messages.success(
                request, _("已选定 %(count)s 个表扬单位（尚未公布）。") % {"count": count}
            )
    return redirect(_scores_url(programme_year))


@login_required
@require_POST
def commendations_publish(request, pk: int):
    user = request.user
    programme_year, access = selectors.get_programme_year_for_user(user, pk)
    require_write(access.can_write)
    form = PublishForm(request.POST)
    published = False
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        with refusals_as_messages(request):
            services.commendations_publish(
                programme_year=programme_year, actor=user, **form.cleaned_data
            )
            messages.success(request, _("表扬名单已公布，已通知获表扬单位。"))
            published = True
    if not published:  # the scores page shows what was typed again
        request.session[PUBLISH_DRAFT] = {k: request.POST.get(k, "") for k in ("title", "note")}
    return redirect(_scores_url(programme_year))


@login_required
@require_GET
def commendations(request, pk: int):
    programme_year, _access = selectors.get_programme_year_for_user(request.user, pk)
    commended = selectors.commendations_for_user(request.user, programme_year)
    return render(
        request,
        "summary/commendations.html",
        {
            "programme_year": programme_year,
            "publication": selectors.publication_of(programme_year),
            "counties": [s for s in commended if s.kind == Score.Kind.COUNTY],
            "cities": [s for s in commended if s.kind == Score.Kind.CITY],
            "universities": [s for s in commended if s.kind == Score.Kind.UNIVERSITY],
            "show_scores": capabilities_for(request.user).can_review_scores,
        },
    )


@login_required
@require_GET
def scores_export(request, pk: int):
    """The score table as Excel, in the user's scope; nothing before publication but for the
    province."""
    user = request.user
    programme_year, _access = selectors.get_programme_year_for_user(user, pk)
    published = selectors.publication_of(programme_year) is not None
    if not published and not capabilities_for(user).can_review_scores:
        raise Http404
    exporter_class = EXPORTERS.get(request.GET.get("kind", "county"))
    if exporter_class is None:
        raise Http404
    exporter = exporter_class(user, programme_year=programme_year, published=published)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(exporter, fmt=fmt, region=_audit_region(user, programme_year))


def _audit_region(user, programme_year):
    return user.region if user.region_id else programme_year.province


# Typical cases ---------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    cases = selectors.cases_for_user(request.user)
    status = request.GET.get("status", "")
    if status in TypicalCase.Status.values:
        cases = cases.filter(status=status)
    year = year_param(request.GET.get("year"))
    if year is not None:
        cases = cases.filter(programme_year__year=year)
    cases = cases.select_related("programme_year", "region__parent", "university").annotate(
        photo_count=Count("photos")
    )
    years = selectors.programme_years_for_user(request.user)
    # The rule shown is the chosen year's (none for a year the province does not have).
    programme_year = (
        years.filter(year=year).first()
        if year is not None
        else selectors.programme_year_for_user(request.user)
    )
    rule = selectors.case_rule_for(programme_year) if programme_year else None
    can_set_rule = rule is not None and capabilities_for(request.user).can_review_cases
    return render(
        request,
        "summary/case_list.html",
        {
            "page": paginate(request, cases.order_by("-submitted_at", "-pk"), PAGE_SIZE),
            "status": status,
            "query": urlencode({k: v for k, v in (("status", status), ("year", year)) if v}),
            "statuses": TypicalCase.Status.choices,
            "can_submit": selectors.can_submit_cases(request.user),
            "programme_year": programme_year,
            "years": years,
            "year": year,
            "rule": rule,
            "rule_form": CaseRuleForm(
                request.session.pop(RULE_DRAFT, None) or None,
                initial=CaseRuleForm.initial_of(rule) if rule else None,
            )
            if can_set_rule
            else None,
        },
    )


@login_required
@require_POST
def case_rule(request, pk: int):
    """The province sets the year's rule for typical cases (from the case list)."""
    programme_year, _access = selectors.get_programme_year_for_user(request.user, pk)
    require_write(capabilities_for(request.user).can_review_cases)
    form = CaseRuleForm(request.POST)
    saved = form.is_valid() and form_save(
        form,
        lambda: services.case_rule_set(
            programme_year=programme_year, actor=request.user, **form.cleaned_data
        ),
    )
    if saved:
        messages.success(request, _("已保存本年度典型案例要求，此后提交和修改的案例按新要求检查。"))
    else:
        # The list shows the form again with what was typed and why it was refused.
        request.session[RULE_DRAFT] = {k: request.POST.get(k, "") for k in form.fields}
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('summary:case_list')}?year={programme_year.year}")


def _picked_outcome(request):
    """A student's 实践总结 the county picked to start its case from: only one of its own
    county whose student consented (outcomes.selectors), else 404."""
    picked = request.POST.get("outcome") or request.GET.get("outcome")
    return (
        outcome_selectors.get_consented_outcome_for_user(request.user, picked) if picked else None
    )


@login_required
def case_create(request):
    user = request.user
    selectors.require_summary_reader(user)
    require_write(selectors.can_submit_cases(user))
    programme_year = _year_or_404(request)
    rule = selectors.case_rule_for(programme_year)
    outcome = _picked_outcome(request)
    copy_photos = outcome is not None and request.POST.get("copy_photos") == "on"
    initial = {"title": outcome.placement.post.title, "body": outcome.text} if outcome else None
    form = CaseForm(request.POST or None, request.FILES or None, rule=rule, initial=initial)
    if outcome is not None and outcome.photos.exists():
        form.fields["photos"].required = False  # the summary's photos may be all there are
    if request.method == "POST" and form.is_valid():
        photos = form.cleaned_data["photos"]
        if copy_photos:
            photos = [*photos, *outcome_selectors.photo_copies(outcome)]
        unit = (
            {"university": user.university}
            if user.role == Role.UNIVERSITY
            else {"region": user.region}
        )
        case = form_save(
            form,
            lambda: services.case_submit(
                programme_year=programme_year,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                photos=photos,
                actor=user,
                **unit,
            ),
        )
        if case:
            messages.success(request, _("典型案例已提交，等待团省委审核。"))
            return redirect("summary:case_detail", pk=case.pk)
    return render(
        request,
        "summary/case_form.html",
        {
            "form": form,
            "programme_year": programme_year,
            "rule": rule,
            "title": _("提交典型案例"),
            # Students' 实践总结 of the county whose students consented to their use (issue 18).
            "consented": outcome_selectors.consented_outcomes_for_user(user)[:30],
            "outcome": outcome,
            "copy_photos": copy_photos or request.method == "GET",
        },
    )


@login_required
@require_GET
def case_detail(request, pk: int):
    case, access = selectors.get_case_for_user(request.user, pk)
    return render(
        request,
        "summary/case_detail.html",
        {
            "case": case,
            "photos": case.photos.all(),
            "access": access,
            "review_comment": _review_draft(request, case),
        },
    )


def _review_draft(request, case) -> str:
    draft = request.session.get(REVIEW_DRAFT)
    if draft and draft.get("case") == case.pk:
        del request.session[REVIEW_DRAFT]
        return draft.get("comment", "")
    return ""


@login_required
def case_edit(request, pk: int):
    case, access = selectors.get_case_for_user(request.user, pk)
    require_write(selectors.is_case_author(request.user, case))
    if not access.can_write:
        messages.error(request, _("案例已审核，不能再修改。"))
        return redirect("summary:case_detail", pk=case.pk)
    rule = selectors.case_rule_for(case.programme_year)
    form = CaseForm(request.POST or None, request.FILES or None, instance=case, rule=rule)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.case_update(
                case=case,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                add_photos=form.cleaned_data["photos"],
                remove_photos=[p.pk for p in form.cleaned_data["remove_photos"]],
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("summary:case_detail", pk=case.pk)
    return render(
        request,
        "summary/case_form.html",
        {"form": form, "case": case, "rule": rule, "title": _("修改典型案例")},
    )


@login_required
@require_POST
def case_review(request, pk: int):
    case, access = selectors.get_case_for_user(request.user, pk)
    require_write(capabilities_for(request.user).can_review_cases)
    form = ReviewForm(request.POST)
    # Shown again on the case page unless the review is saved (a refusal must not lose it).
    request.session[REVIEW_DRAFT] = {"case": case.pk, "comment": request.POST.get("comment", "")}
    if not access.can_review:
        messages.error(request, _("案例已经审核过了。"))
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        with refusals_as_messages(request):
            services.case_review(
                case=case,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                revision=form.cleaned_data["revision"],
                actor=request.user,
            )
            messages.success(request, _("审核结果已保存，已通知提交单位。"))
            request.session.pop(REVIEW_DRAFT, None)
    return redirect("summary:case_detail", pk=case.pk)


@never_cache
@login_required
@require_GET
def case_photo(request, pk: int, photo_pk: int):
    """A case's photo, to whoever reads the case (never a public media URL)."""
    photo, _access = selectors.get_photo_for_user(request.user, pk, photo_pk)
    return photo_response(photo)


# Briefings -------------------------------------------------------------------------------------


@login_required
@require_GET
def briefing_list(request):
    briefings, can_write = selectors.briefings_for_user(request.user)
    return render(
        request,
        "summary/briefing_list.html",
        {
            "page": paginate(request, briefings.select_related("published_by"), PAGE_SIZE),
            "can_write": can_write,
        },
    )


@login_required
def briefing_create(request):
    _briefings, can_write = selectors.briefings_for_user(request.user)
    require_write(can_write)
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        briefing = form_save(
            form,
            lambda: services.briefing_save(
                province=request.user.region, actor=request.user, **form.cleaned_data
            ),
        )
        if briefing:
            messages.success(request, _("简报草稿已保存，发布后全省用户可见。"))
            return redirect("summary:briefing_detail", pk=briefing.pk)
    return render(request, "summary/briefing_form.html", {"form": form, "title": _("撰写简报")})


@login_required
@require_GET
def briefing_detail(request, pk: int):
    briefing, access = selectors.get_briefing_for_user(request.user, pk)
    # The units' reports it was compiled from (reports app), for the province that compiled it.
    sources = (
        briefing.source_reports.select_related("region__parent", "university").order_by(
            "submitted_at", "pk"
        )
        if access.can_write
        else ()
    )
    return render(
        request,
        "summary/briefing_detail.html",
        {"briefing": briefing, "access": access, "sources": sources},
    )


@login_required
def briefing_edit(request, pk: int):
    briefing, access = selectors.get_briefing_for_user(request.user, pk)
    require_write(access.can_write)
    if briefing.status != Briefing.Status.DRAFT:
        messages.error(request, _("简报已发布，不能再修改。"))
        return redirect("summary:briefing_detail", pk=briefing.pk)
    form = BriefingForm(request.POST or None, instance=briefing)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.briefing_save(
                province=request.user.region,
                briefing=briefing,
                actor=request.user,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("summary:briefing_detail", pk=briefing.pk)
    return render(
        request,
        "summary/briefing_form.html",
        {"form": form, "briefing": briefing, "title": _("修改简报")},
    )


@login_required
@require_POST
def briefing_publish(request, pk: int):
    briefing, access = selectors.get_briefing_for_user(request.user, pk)
    require_write(access.can_write)
    with refusals_as_messages(request):
        published = services.briefing_publish(briefing=briefing, actor=request.user)
        messages.success(request, _("已发布第 %(issue)s 期简报。") % {"issue": published.issue})
    return redirect("summary:briefing_detail", pk=briefing.pk)


# The five tasks (五个一) -------------------------------------------------------------------------


def _five_filters(request, programme_year) -> dict:
    """The matrix's filters from the query string; a value that is not one of the choices is
    ignored (never a 500)."""
    task = request.GET.get("task", "")
    status = request.GET.get("status", "")
    cities = selectors.five_cities_for_user(request.user, programme_year)
    city = (
        cities.filter(code=request.GET.get("city", "")).first() if request.GET.get("city") else None
    )
    return {
        "task": task if task in five.KEYS else "",
        "status": status if status in five.STATUSES else "",
        "city": city,
    }


@login_required
@require_GET
def five_tasks(request):
    """City and provincial staff: their counties × the five tasks. County staff: their own
    county's page."""
    user = request.user
    selectors.require_five_reader(user)
    programme_year = selectors.programme_year_for_user(user, request.GET.get("year"))
    if not capabilities_for(user).can_see_five_matrix:
        url = reverse("summary:five_county", args=[user.region.code])
        return redirect(f"{url}?year={programme_year.year}" if programme_year else url)
    context: dict = {
        "programme_year": programme_year,
        "years": selectors.programme_years_for_user(user),
        "titles": [(key, five.TITLES[key]) for key in five.KEYS],
        "statuses": five.STATUSES,
    }
    if programme_year is not None:
        filters = _five_filters(request, programme_year)
        today = timezone.localdate()
        rows = selectors.five_rows(user, programme_year, as_of=today, city=filters["city"])
        shown = [
            r for r in rows if five.matches(r.tasks, task=filters["task"], status=filters["status"])
        ]
        context |= {
            **filters,
            "rows": shown,
            "total": len(rows),
            "counts": five.counts(r.tasks for r in rows),
            "cities": selectors.five_cities_for_user(user, programme_year),
            "as_of": today,
            "dates": five.year_dates(programme_year),
            "query": urlencode(
                {
                    "year": programme_year.year,
                    "city": filters["city"].code if filters["city"] else "",
                    "task": filters["task"],
                    "status": filters["status"],
                }
            ),
        }
    return render(request, "summary/five_matrix.html", context)


@login_required
@require_GET
def five_county(request, code: str):
    """One county's five tasks, with their evidence, for a programme year."""
    user = request.user
    county, _access = selectors.get_five_county_for_user(user, code)
    programme_year = selectors.programme_year_for_user(user, request.GET.get("year"))
    context: dict = {
        "county": county,
        "programme_year": programme_year,
        "years": selectors.programme_years_for_user(user),
    }
    if programme_year is not None:
        today = timezone.localdate()
        found = five.year_tasks(programme_year, as_of=today, counties=[county.pk])
        figures, tasks = found[county.pk]
        context |= {
            "figures": figures,
            "tasks": tasks,
            "as_of": today,
            "dates": five.year_dates(programme_year),
            **selectors.five_evidence(county, programme_year),
        }
    return render(request, "summary/five_county.html", context)


@login_required
@require_GET
def five_export(request):
    """The matrix's rows as Excel (audited), with the page's filters."""
    user = request.user
    selectors.require_five_reader(user)
    if not capabilities_for(user).can_see_five_matrix:
        raise Http404
    programme_year = _year_or_404(request)
    exporter = FiveTasksExporter(
        user,
        programme_year=programme_year,
        as_of=timezone.localdate(),
        **_five_filters(request, programme_year),
    )
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(exporter, fmt=fmt, region=_audit_region(user, programme_year))


# The scoring rule ------------------------------------------------------------------------------


@login_required
def scoring_rule(request, pk: int):
    """The year's 评分规则: every kind's parts, weights, targets and the reason for each default;
    provincial staff change one kind at a time (POST) until the commendation is published."""
    programme_year, access = selectors.rule_for_user(request.user, pk)
    publication = selectors.publication_of(programme_year)
    rules = selectors.year_rules(programme_year)
    posted = request.POST.get("kind") if request.method == "POST" else None
    if request.method == "POST":
        require_write(access.can_write)
        if posted not in scoring.PARTS:
            raise Http404
    forms = {
        kind: RuleForm(request.POST if kind == posted else None, kind=kind, parts=rules[kind])
        for kind in scoring.PARTS
    }
    if posted:
        form = forms[posted]
        if form.is_valid() and form_save(
            form,
            lambda: services.scoring_rule_save(
                programme_year=programme_year,
                kind=posted,
                parts=form.settings(),
                actor=request.user,
            ),
        ):
            messages.success(
                request,
                _("已保存%(kind)s评分规则，下次重新计算时按新规则计分。")
                % {"kind": RULE_TITLES[posted]},
            )
            return redirect("summary:scoring_rule", pk=programme_year.pk)
    stored = selectors.stored_rules(programme_year)
    return render(
        request,
        "summary/scoring_rule.html",
        {
            "programme_year": programme_year,
            "publication": publication,
            "sections": [
                {
                    "kind": kind,
                    "title": RULE_TITLES[kind],
                    "form": forms[kind],
                    "stored": stored.get(kind),
                }
                for kind in scoring.PARTS
            ],
            "can_edit": access.can_write and publication is None,
        },
    )


# City activities -------------------------------------------------------------------------------


@login_required
@require_GET
def city_activity_list(request):
    activities = selectors.city_activities_for_user(request.user)
    if not capabilities_for(request.user).can_read_city_activities:
        raise Http404
    kind = request.GET.get("kind", "")
    if kind in CityActivity.Kind.values:
        activities = activities.filter(kind=kind)
    year = year_param(request.GET.get("year"))
    if year is not None:
        activities = activities.filter(programme_year__year=year)
    activities = activities.select_related("programme_year", "city").annotate(
        photo_count=Count("photos")
    )
    return render(
        request,
        "summary/city_activity_list.html",
        {
            "page": paginate(request, activities.order_by("-held_on", "-pk"), PAGE_SIZE),
            "kind": kind,
            "kinds": CityActivity.Kind.choices,
            "query": urlencode({k: v for k, v in (("kind", kind), ("year", year)) if v}),
        },
    )


@login_required
def city_activity_create(request):
    user = request.user
    selectors.require_summary_reader(user)
    require_write(capabilities_for(user).can_record_city_activities)
    programme_year = _year_or_404(request)
    form = CityActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        activity = form_save(
            form,
            lambda: services.city_activity_save(
                programme_year=programme_year,
                city=user.region,
                fields=form.activity_fields(),
                add_photos=form.cleaned_data["photos"],
                actor=user,
            ),
        )
        if activity:
            messages.success(request, _("市级活动已登记。"))
            return redirect("summary:city_activity_detail", pk=activity.pk)
    return render(
        request,
        "summary/city_activity_form.html",
        {"form": form, "programme_year": programme_year, "title": _("登记市级活动")},
    )


@login_required
@require_GET
def city_activity_detail(request, pk: int):
    activity, access = selectors.get_city_activity_for_user(request.user, pk)
    return render(
        request,
        "summary/city_activity_detail.html",
        {"activity": activity, "photos": activity.photos.all(), "access": access},
    )


@login_required
def city_activity_edit(request, pk: int):
    activity, access = selectors.get_city_activity_for_user(request.user, pk)
    require_write(access.can_write)
    form = CityActivityForm(request.POST or None, request.FILES or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        saved = form_save(
            form,
            lambda: services.city_activity_save(
                programme_year=activity.programme_year,
                city=activity.city,
                fields=form.activity_fields(),
                add_photos=form.cleaned_data["photos"],
                remove_photos=[p.pk for p in form.cleaned_data["remove_photos"]],
                activity=activity,
                actor=request.user,
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("summary:city_activity_detail", pk=activity.pk)
    return render(
        request,
        "summary/city_activity_form.html",
        {"form": form, "activity": activity, "title": _("修改市级活动")},
    )


@never_cache
@login_required
@require_GET
def city_activity_photo(request, pk: int, photo_pk: int):
    photo, _access = selectors.get_activity_photo_for_user(request.user, pk, photo_pk)
    return photo_response(photo)
