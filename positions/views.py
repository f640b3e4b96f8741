from dataclasses import astuple, replace
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.scoping import require_county_staff, require_position_reader, require_write
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.views import form_save, paginate, query_without_page
from positions import selectors, services
from positions.forms import HostUnitForm, PostForm, PostSearchForm
from positions.models import Post, Region
from positions.public_cache import cached, public_key
from schedule.models import Season, season_label
from schedule.selectors import stage_late_since
from students import fit

PAGE_SIZE = 20
CARD_DAY = "n月j日"  # a card's short dates, in Django's date letters


# Public search -------------------------------------------------------------------------------


def _search_region(data) -> Region | None:
    for level in ("county", "city", "province"):
        code = data.get(level)
        if code:
            return selectors.region_get(code, level)
    return None


@require_GET
def post_search(request):
    # What the search shows depends on the query and the day alone (not on who asks): built
    # once per version of the public pages (positions/public_cache.py) and shared by everyone.
    key = public_key("search", timezone.localdate(), sorted(request.GET.lists()))
    parts = cached(key, lambda: _search_parts(request))
    # The same URL answers htmx with the results only and browsers with the whole page: Vary
    # keeps the back button from showing a cached fragment, and a history restore gets it all.
    if request.htmx and not request.htmx.history_restore_request:
        response = HttpResponse(parts["results"])
    else:
        context = {
            "form_html": mark_safe(parts["form"]),  # noqa: S308  # nosec B308 B703 - our templates' output
            "results_html": mark_safe(parts["results"]),  # noqa: S308  # nosec B308 B703
        }
        if capabilities_for(request.user).is_student:
            # 专业对口 suggestions for the signed-in student only, never cached.
            context["suggestions"] = fit.suggested_posts(request.user)
        response = render(request, "positions/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _search_parts(request) -> dict[str, str]:
    form = PostSearchForm(request.GET)
    form.is_valid()  # a bad field is left out of cleaned_data; the good ones still filter
    data = form.cleaned_data
    region = _search_region(data)
    search = selectors.PostSearch(
        region=region,
        category=data.get("category", ""),
        season=data.get("season", ""),
        keyword=data.get("q", "")[:50],
        remote_only=data.get("remote", False),
    )
    posts = selectors.published_posts(search)
    paginator = Paginator(posts, PAGE_SIZE)
    # The count is shared by every page of the same search: paging on costs no recount.
    count_key = public_key(
        "count", search.region and search.region.code, *astuple(replace(search, region=None))
    )
    paginator.count = cached(count_key, posts.count)
    page = paginator.get_page(request.GET.get("page"))
    _cards(page.object_list, timezone.localdate())
    chain: list[Region] = []
    while region is not None:
        chain.insert(0, region)
        region = region.parent
    context = {
        "form": form,
        "page": page,
        "chain": {r.level: r for r in chain},
        "provinces": selectors.region_children(None),
        "cities": selectors.region_children(chain[0]) if chain else [],
        "counties": selectors.region_children(chain[1]) if len(chain) > 1 else [],
        "seasons": _season_choices(),
        "query": query_without_page(request),
        "today": timezone.localdate(),
        "detail_url": reverse("positions:public_detail", args=[0]).removesuffix("0/"),
        "labels": {"remote": _("可线上"), "full": _("名额已满"), "past": _("（已过）")},
    }
    return {
        "form": render_to_string("positions/_search_form.html", context),
        "results": render_to_string("positions/_search_results.html", context),
    }


def _cards(posts, today) -> None:
    """Each card's words, translated once per page rather than once per card (a card's
    labels and sentences were most of a search's rendering time)."""
    category = {value: str(label) for value, label in Post.Category.choices}
    audience = {value: str(label) for value, label in Post.Audience.choices}
    seasons: dict[int, str] = {}
    seats, headcount, apply_by = _("剩余 %(n)s 个名额"), _("招 %(n)s 人"), _("报名截止 %(day)s")
    for post in posts:
        if post.season_id not in seasons:
            seasons[post.season_id] = str(post.season)
        post.card = SimpleNamespace(
            category=category.get(post.category, post.category),
            audience="" if post.audience == Post.Audience.HOMETOWN else audience[post.audience],
            season=seasons[post.season_id],
            dates=f"{date_format(post.starts_on, CARD_DAY)}–{date_format(post.ends_on, CARD_DAY)}",
            headcount=headcount % {"n": post.headcount},
            seats=seats % {"n": post.seats_left},
            apply_by=apply_by % {"day": date_format(post.apply_by, CARD_DAY)}
            if post.apply_by
            else "",
            apply_by_past=bool(post.apply_by and post.apply_by < today),
        )


def _season_choices():
    # Provinces may move their windows: one option per year and kind, its months the widest.
    seasons = (
        Season.objects.order_by()
        .values_list("programme_year__year", "kind")
        .annotate(starts=Min("practice_starts"), ends=Max("practice_ends"))
    )
    return [
        (f"{y}-{k}", season_label(year=y, kind=k, starts=starts, ends=ends))
        for y, k, starts, ends in sorted(seasons, reverse=True)
    ]


@require_GET
def region_options(request):
    """<option>s below the chosen province or city, for the cascading selects of the search."""
    # The select sends its own name and value (city=, or hometown_city= on the registration
    # form), even when cleared; no script builds the query, which the CSP would forbid.
    city = next(
        (request.GET[k] for k in ("city", "hometown_city", "residence_city") if k in request.GET),
        None,
    )
    asks_counties = city is not None
    province = next(
        (
            request.GET[k]
            for k in ("province", "hometown_province", "residence_province")
            if k in request.GET
        ),
        "",
    )
    code = city if asks_counties else province
    parent = selectors.region_get(code) if code else None
    regions = selectors.region_children(parent) if parent else []
    level = "county" if asks_counties else "city"
    context = {"regions": regions, "level": level, "reset_county": not asks_counties}
    return render(request, "positions/_region_options.html", context)


@require_GET
def post_public_detail(request, pk: int):
    # The post and its description are the same for everyone: cached per version of the
    # public pages; what depends on the visitor (the phone, the student's own state) is not.
    parts = cached(public_key("post", pk, timezone.localdate()), lambda: _post_parts(pk))
    if parts == NOT_FOUND:
        raise Http404
    post = parts["post"]
    student = getattr(request.user, "student", None) if request.user.is_authenticated else None
    closed = student is not None and not post.is_open_to(
        hometown_id=student.hometown_id, residence_id=student.residence_id
    )
    # A student the post is not open to, or whose profile lacks what an application needs, is
    # told so here, not after writing a statement.
    context = {
        "post": post,
        "body_html": mark_safe(parts["body"]),  # noqa: S308  # nosec B308 B703 - our template's output
        "closed_to_me": post.closed_to_message() if closed else "",
        "deadline_passed": post.status == Post.Status.CLOSED,
        "profile_missing": student.missing_for_application() if student else [],
    }
    return render(request, "positions/public_detail.html", context)


NOT_FOUND = "not-found"  # cached too, so probing ids that do not exist costs no query each


def _post_parts(pk: int) -> dict | str:
    try:
        post = selectors.get_public_post(pk)
    except Http404:
        return NOT_FOUND
    context = {"post": post, "deadline_passed": post.status == Post.Status.CLOSED}
    return {"post": post, "body": render_to_string("positions/_public_detail_body.html", context)}


# Host units ----------------------------------------------------------------------------------


@login_required
@require_GET
def host_unit_list(request):
    require_position_reader(request.user)
    units = selectors.host_units_for_user(request.user).order_by("county__code", "name")
    return render(
        request, "positions/host_unit_list.html", {"page": paginate(request, units, PAGE_SIZE)}
    )


@login_required
def host_unit_create(request):
    county = require_county_staff(request.user)
    form = HostUnitForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        unit = form_save(
            form,
            lambda: services.host_unit_create(
                county=county, actor=request.user, **form.cleaned_data
            ),
        )
        if unit:
            messages.success(request, _("已登记用人单位：%(name)s") % {"name": unit.name})
            return redirect("positions:host_unit_detail", pk=unit.pk)
    return render(request, "positions/host_unit_form.html", {"form": form})


@login_required
@require_GET
def host_unit_detail(request, pk: int):
    unit, access = selectors.get_host_unit_for_user(request.user, pk)
    posts = selectors.posts_for_user(request.user).filter(host_unit=unit)
    return render(
        request,
        "positions/host_unit_detail.html",
        {"unit": unit, "access": access, "posts": posts},
    )


@login_required
def host_unit_edit(request, pk: int):
    unit, access = selectors.get_host_unit_for_user(request.user, pk)
    require_write(access.can_write)
    form = HostUnitForm(request.POST or None, instance=unit, county=unit.county)
    if request.method == "POST" and form.is_valid():
        if form_save(
            form,
            lambda: services.host_unit_update(
                host_unit=unit, actor=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("已保存。"))
            return redirect("positions:host_unit_detail", pk=unit.pk)
    return render(request, "positions/host_unit_form.html", {"form": form, "unit": unit})


# Posts (staff) -------------------------------------------------------------------------------


@login_required
@require_GET
def post_list(request):
    require_position_reader(request.user)
    posts = selectors.posts_for_user(request.user)
    status = request.GET.get("status", "")
    if status in Post.Status.values:
        posts = posts.filter(status=status)
    applications = request.GET.get("applications", "")
    if applications not in selectors.APPLICATION_FILTERS:
        applications = ""
    # From a county's 五个一 page: that county's posts (of the reader's scope only).
    county = request.GET.get("county", "")
    if county:
        posts = posts.filter(host_unit__county__code=county)
    posts = selectors.posts_with_applications(posts, applications)
    posts = posts.order_by("-created_at", "-id")
    return render(
        request,
        "positions/post_list.html",
        {
            "page": paginate(request, posts, PAGE_SIZE),
            "status": status,
            "applications": applications,
            "statuses": Post.Status.choices,
            "can_create": capabilities_for(request.user).can_create_positions,
            "query": query_without_page(request),
        },
    )


@login_required
def post_create(request):
    county = require_county_staff(request.user)
    initial = {"host_unit": request.GET.get("host_unit")}
    form = PostForm(request.POST or None, county=county, initial=initial)
    if request.method == "POST" and form.is_valid():
        post = form_save(
            form, lambda: services.post_create(actor=request.user, **form.cleaned_data)
        )
        if post:
            messages.success(request, _("岗位已保存为草稿，核对无误后请发布。"))
            return redirect("positions:post_detail", pk=post.pk)
    return render(request, "positions/post_form.html", {"form": form})


@login_required
@require_GET
def post_detail(request, pk: int):
    post, access = selectors.get_post_for_user(request.user, pk)
    return render(request, "positions/post_detail.html", {"post": post, "access": access})


@login_required
def post_edit(request, pk: int):
    post, access = selectors.get_post_for_user(request.user, pk)
    require_write(access.can_write)
    form = PostForm(request.POST or None, instance=post, county=post.county)
    if request.method == "POST" and form.is_valid():
        if form_save(
            form, lambda: services.post_update(post=post, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("已保存。"))
            return redirect("positions:post_detail", pk=post.pk)
    return render(request, "positions/post_form.html", {"form": form, "post": post})


def _post_action(service, done_message):
    @login_required
    @require_POST
    def view(request, pk: int):
        post, access = selectors.get_post_for_user(request.user, pk)
        require_write(access.can_write)
        with refusals_as_messages(request):
            service(post=post, actor=request.user)
            messages.success(request, done_message(post))
        return redirect("positions:post_detail", pk=post.pk)

    return view


def _published(post) -> str:
    """Published; past the county's posts date it is still published, and the county told
    that the calendar shows it late (the dates are completion dates, not gates)."""
    text = _("岗位已发布，学生现在可以搜索到它。")
    late = stage_late_since(season=post.season, stage="posts", county_id=post.host_unit.county_id)
    if late:
        text += _("本季岗位发布已于 %(due)s 截止，本单位在工作日程中显示为逾期。") % {
            "due": f"{late:%Y年%m月%d日}"
        }
    return text


post_publish = _post_action(services.post_publish, _published)
post_close = _post_action(services.post_close, lambda post: _("岗位已截止报名。"))
post_cancel = _post_action(services.post_cancel, lambda post: _("岗位已撤销。"))
