from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards import selectors
from dashboards.exporters import EXPORTERS, STATE_LABELS, funnel_headers
from dashboards.models import FUNNEL
from fanjiaxiang.exporters import export_response
from fanjiaxiang.params import year_param
from schedule.models import Season
from summary import five

SEASONS = dict(Season.Kind.choices)


def _filters(request) -> tuple[int | None, str]:
    year = request.GET.get("year", "")
    season = request.GET.get("season", "")
    return year_param(year), (season if season in SEASONS else "")


def _board(request, code: str) -> selectors.Dashboard:
    region = selectors.get_region_for_user(request.user, code)
    year, season = _filters(request)
    return selectors.dashboard(region, year=year, season=season)


@login_required
@require_GET
def home(request):
    return redirect("dashboards:region", code=selectors.home_code(request.user))


def chart_data(board: selectors.Dashboard) -> dict:
    """What dashboards.js draws: the funnel, and quota attainment by unit."""
    data = {
        "funnel": [
            {"name": str(label), "value": board.total.funnel[key]}
            for key, label in zip(FUNNEL, funnel_headers(), strict=True)
        ],
        "states": {key: str(STATE_LABELS[key]) for key in selectors.QUOTA_STATES},
        # The quota chart's value axis: counties per standing, or each county's attainment.
        "axis": {"units": gettext("县（市、区）数"), "counties": gettext("完成率 %")},
    }
    if board.child_level in ("province", "city"):
        data["units"] = [{"name": row.region.name, **row.quota_states} for row in board.rows]
    else:
        data["counties"] = [
            {
                "name": county["name"],
                "reported": county["quota_reported"],
                "quota": county["quota"],
                "state": county["quota_state"],
            }
            for county in board.counties
            if county["quota"]
        ]
    return data


@login_required
@require_GET
def region(request, code: str):
    board = _board(request, code)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "board": board,
            "code": code,
            "seasons": SEASONS,
            "funnel_headers": funnel_headers(),
            "funnel_keys": FUNNEL,
            "chart": chart_data(board),
            "five": selectors.five_panel(board.region, board.year),
            "five_titles": five.TITLES,
            "five_statuses": five.STATUSES,
            "crumbs": _crumbs(request.user, board.region),
            # 镇街 for 东莞 and 中山, 县（市、区） elsewhere and for the whole country.
            "units_word": board.region.units_word if board.region else _("县（市、区）"),
        },
    )


def _crumbs(user, region) -> list:
    """The way back up, as far as the user reaches."""
    crumbs: list = []
    while region is not None:
        crumbs.insert(0, region)
        if region.pk == user.region_id:
            return crumbs
        region = region.parent
    return [None, *crumbs] if user.is_superuser else crumbs


@login_required
@require_GET
def export(request, code: str, table: str):
    if table not in EXPORTERS:
        raise Http404
    board = _board(request, code)
    exporter = EXPORTERS[table](
        request.user, board=board, year=board.year, season=board.season or "all", region=code
    )
    return export_response(
        exporter,
        fmt=request.GET.get("format", "xlsx"),
        region=board.region,
    )
