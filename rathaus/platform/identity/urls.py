from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from rathaus.platform.identity import passkey_views, views
from rathaus.platform.identity.forms import AccountSetPasswordForm
from rathaus.platform.identity.tokens import password_token_generator

app_name = "accounts"


urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.AccountLoginView.as_view(), name="login"),
    path("login/code/", views.login_otp, name="login-otp"),
    path(
        "login/passkey/options/",
        passkey_views.passkey_login_options,
        name="passkey-login-options",
    ),
    path("login/passkey/", passkey_views.passkey_login, name="passkey-login"),
    path("passkeys/", passkey_views.passkey_list, name="passkeys"),
    path(
        "passkeys/new/options/",
        passkey_views.passkey_register_options,
        name="passkey-register-options",
    ),
    path("passkeys/new/", passkey_views.passkey_register, name="passkey-register"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("confirm-email/", views.confirm_email, name="confirm-email"),
    path("phone/", views.phone, name="phone"),
    path("confirm-phone/", views.confirm_phone, name="confirm-phone"),
    path("confirm-phone/resend/", views.resend_phone_code, name="resend-phone-code"),
    path("members/", views.members, name="members"),
    path("two-factor/", views.totp_setup, name="totp"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="identity/message.html",
            extra_context={
                "message": _("Wenn es ein Konto mit dieser Adresse gibt, ist ein Link unterwegs.")
            },
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            token_generator=password_token_generator,
            form_class=AccountSetPasswordForm,
            template_name="identity/form.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
            extra_context={
                "title": _("Neues Passwort setzen"),
                "submit": _("Passwort speichern"),
            },
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="identity/message.html",
            extra_context={
                "message": _("Ihr neues Passwort ist gespeichert. Sie können sich jetzt anmelden.")
            },
        ),
        name="password-reset-complete",
    ),
    # The link in a new town admin's invitation (Django's password-reset tokens).
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            token_generator=password_token_generator,
            form_class=AccountSetPasswordForm,
            template_name="identity/password_set.html",
            success_url=reverse_lazy("accounts:login"),
        ),
        name="password-set",
    ),
]
