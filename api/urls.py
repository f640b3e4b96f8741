from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import endpoints, views

app_name = "api"

# Path ids are read by the views (digits or 404), so an odd id is a JSON 404, never HTML.
ID = r"(?P<pk>[^/]+)"

urlpatterns = [
    # The token page, for staff (docs/features.md "开放接口").
    path("manage/api-tokens/", views.token_list, name="tokens"),
    path("manage/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # The schema and its interactive docs; Swagger UI's files come from drf-spectacular-sidecar,
    # served by the portal itself (no CDN), and its start-up script is a file too (CSP).
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Public
    path("api/v1/posts/", endpoints.PostSearch.as_view(), name="posts"),
    re_path(rf"^api/v1/posts/{ID}/$", endpoints.PostDetail.as_view(), name="post"),
    re_path(
        r"^api/v1/certificates/(?P<code>[^/]+)/$",
        endpoints.CertificateVerify.as_view(),
        name="certificate",
    ),
    # A university's token
    path("api/v1/university/credits/", endpoints.UniversityCredits.as_view(), name="credits"),
    path(
        "api/v1/university/placements/",
        endpoints.UniversityPlacements.as_view(),
        name="university_placements",
    ),
    path(
        "api/v1/university/clearances/",
        endpoints.UniversityClearances.as_view(),
        name="university_clearances",
    ),
    # A county's token
    path("api/v1/county/posts/", endpoints.CountyPosts.as_view(), name="county_posts"),
    re_path(
        rf"^api/v1/county/posts/{ID}/publish/$",
        endpoints.CountyPostPublish.as_view(),
        name="county_post_publish",
    ),
    re_path(
        rf"^api/v1/county/posts/{ID}/close/$",
        endpoints.CountyPostClose.as_view(),
        name="county_post_close",
    ),
    path(
        "api/v1/county/applications/",
        endpoints.CountyApplications.as_view(),
        name="county_applications",
    ),
    path(
        "api/v1/county/placements/",
        endpoints.CountyPlacements.as_view(),
        name="county_placements",
    ),
    # A province's token
    path(
        "api/v1/province/dashboard/",
        endpoints.ProvinceDashboard.as_view(),
        name="province_dashboard",
    ),
]
