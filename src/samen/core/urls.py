from django.urls import path

from samen.core.views import auth, gemeente, importing, pages, password_reset, residents, statements, users

app_name = "core"

urlpatterns = [
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("inloggen/code/", auth.OTPVerifyView.as_view(), name="otp_verify"),
    path("inloggen/code-instellen/", auth.OTPSetupView.as_view(), name="otp_setup"),
    path("uitloggen/", auth.LogoutView.as_view(), name="logout"),
    path("overzicht/", pages.HomeView.as_view(), name="home"),
    path("wijken/", pages.WijkListView.as_view(), name="wijk_list"),
    path("wijken/<str:code>/", pages.WijkDetailView.as_view(), name="wijk_detail"),
    path("organisaties/", pages.OrganisationListView.as_view(), name="organisation_list"),
    path("inwoners/", residents.ResidentListView.as_view(), name="resident_list"),
    path("inwoners/nieuw/", residents.ResidentCreateView.as_view(), name="resident_create"),
    path("inwoners/export.csv", residents.ResidentExportView.as_view(), name="resident_export"),
    path("inwoners/adres/", residents.AddressCheckView.as_view(), name="address_check"),
    path("inwoners/<int:pk>/", residents.ResidentDetailView.as_view(), name="resident_detail"),
    path("inwoners/<int:pk>/wijzigen/", residents.ResidentUpdateView.as_view(), name="resident_update"),
    path("inwoners/<int:pk>/verwijderen/", residents.ResidentDeleteView.as_view(), name="resident_delete"),
    path("toegangslog/", pages.AccessLogView.as_view(), name="accesslog"),
    path("beheer/postcodes/", pages.PostcodeImportView.as_view(), name="postcode_import"),
    path("beheer/postcodes/overzicht/", importing.PostcodeConfirmView.as_view(), name="postcode_confirm"),
    path("beheer/instellingen/", gemeente.GemeenteSettingsView.as_view(), name="gemeente_settings"),
    path("beheer/gebruikers/", users.UserListView.as_view(), name="user_list"),
    path("beheer/gebruikers/nieuw/", users.UserCreateView.as_view(), name="user_create"),
    path("beheer/gebruikers/<int:pk>/", users.UserUpdateView.as_view(), name="user_update"),
    path("wachtwoord/", users.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord-vergeten/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", password_reset.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("wachtwoord-herstellen/<uidb64>/<token>/", password_reset.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord-herstellen/klaar/", password_reset.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("privacy/", statements.PrivacyView.as_view(), name="privacy"),
    path("toegankelijkheid/", statements.AccessibilityView.as_view(), name="accessibility"),
    path("api-tokens/", auth.TokenListView.as_view(), name="token_list"),
]
