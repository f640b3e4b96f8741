from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts.views import home

# /healthz and /readyz are answered by fanjiaxiang.health.HealthMiddleware, before the rest.
urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("positions.urls")),
    path("", include("students.urls")),
    path("", include("schedule.urls")),
    path("", include("ledger.urls")),
    path("", include("dashboards.urls")),
    path("", include("summary.urls")),
    path("", include("reports.urls")),
    path("", include("outcomes.urls")),
    path("", include("safety.urls")),
    path("", include("universities.urls")),
    path("", include("api.urls")),
    path("", include("helpcentre.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says. The static URL is looked up per
    # request: in production it is the hashed name of the manifest, a 302 so it may change.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.ico")),
        name="favicon",
    ),
]
