"""The beheerder's screens for user accounts, and every user's own password change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core import policy
from samen.core.forms import SamenPasswordChangeForm, UserForm
from samen.core.models import User
from samen.core.services import users as service
from samen.core.views.mixins import PolicyMixin


def _apply_errors(form, exc: ValidationError):
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class UserListView(PolicyMixin, TemplateView):
    capability = "user.view"
    template_name = "core/user_list.html"

    def get_context_data(self, **kwargs):
        users = policy.visible(self.request.user, User).select_related("organisation").prefetch_related("wijken")
        return {**super().get_context_data(**kwargs), "users": users}


class UserCreateView(PolicyMixin, TemplateView):
    capability = "user.manage"
    template_name = "core/user_form.html"

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or UserForm(gemeente=self.request.user.gemeente)
        return {"form": form, "title": _("Gebruiker toevoegen")}

    def post(self, request):
        form = UserForm(request.POST, gemeente=request.user.gemeente)
        if form.is_valid():
            try:
                user, password = service.create_user(request.user, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return render(request, "core/user_password.html", {"account": user, "password": password})
        return self.render_to_response(self.get_context_data(form=form), status=400)


class UserUpdateView(PolicyMixin, TemplateView):
    capability = "user.manage"
    template_name = "core/user_form.html"

    def _account(self):
        try:
            return policy.visible(self.request.user, User).get(pk=self.kwargs["pk"])
        except User.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        account = self._account()
        form = kwargs.get("form") or UserForm(
            gemeente=self.request.user.gemeente, editing=True,
            initial={**{name: getattr(account, name) for name in UserForm.base_fields if name != "wijken"},
                     "wijken": list(account.wijken.all())})
        return {"form": form, "title": _("Gebruiker %(name)s") % {"name": account.username}, "account": account}

    def post(self, request, pk):
        account = self._account()
        action = request.POST.get("action")
        if action == "reset_2fa":
            service.reset_second_factor(request.user, account.pk)
            messages.success(request, _("De tweede stap is gewist; bij de volgende login koppelt de gebruiker "
                                        "een nieuwe app."))
            return redirect("core:user_update", pk=account.pk)
        if action == "reset_password":
            account, password = service.reset_password(request.user, account.pk)
            return render(request, "core/user_password.html", {"account": account, "password": password})
        form = UserForm(request.POST, gemeente=request.user.gemeente, editing=True,
                        initial={"username": account.username})
        if form.is_valid():
            try:
                service.change_user(request.user, account.pk, form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("De gebruiker is bijgewerkt."))
                return redirect("core:user_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeView(PolicyMixin, auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = SamenPasswordChangeForm
    success_url = reverse_lazy("core:home")
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        # The service saves the password and ends the user's API tokens; Django then keeps this session.
        service.change_own_password(self.request.user, form)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return redirect(self.get_success_url())
