from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("audit/", views.audit_log, name="audit_log"),
    path("mails/failed/", views.mail_failures, name="mail_failures"),
    path("staff/", views.account_list, name="account_list"),
    path("staff/new/", views.account_create, name="account_create"),
    path("staff/<int:pk>/", views.account_detail, name="account_detail"),
    path("staff/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path(
        "staff/<int:pk>/password/reset/",
        views.account_password_reset,
        name="account_password_reset",
    ),
    path(
        "staff/<int:pk>/2fa/reset/",
        views.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path("security/", views.security_accounts, name="security_accounts"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("2fa/codes/", views.two_factor_codes, name="two_factor_codes"),
]
