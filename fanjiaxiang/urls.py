from django.contrib import admin
from django.urls import include, path

from accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("positions.urls")),
    path("", include("students.urls")),
    path("", include("schedule.urls")),
    path("", include("ledger.urls")),
    path("", include("dashboards.urls")),
    path("", include("summary.urls")),
    path("admin/", admin.site.urls),
]
