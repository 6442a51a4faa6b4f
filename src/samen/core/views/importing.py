"""The shared screens of preview and confirm (core.services.pending_imports): an import's upload view
stages the checked file and sends the user here; this page shows what will change and applies it only when
the user confirms. Each import subclasses ConfirmImportView with its kind, its upload page and its confirm
function."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core.services import pending_imports
from samen.core.services.pending_imports import PendingImportError
from samen.core.views.mixins import PolicyMixin


def to_preview(url_name: str, pending) -> object:
    """The redirect from an upload to its preview."""
    return redirect(f"{reverse(url_name)}?token={pending.token}")


class ConfirmImportView(PolicyMixin, TemplateView):
    """GET ?token=…: the preview. POST token + confirm: apply; POST token + cancel: drop the upload."""

    http_method_names = ["get", "post"]
    kind: str = ""
    upload_url: str = ""  # the URL name of the upload page, where the user lands afterwards

    def confirm(self, user, token: str):
        raise NotImplementedError

    def success_message(self, result) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            pending = pending_imports.peek(request.user, self.kind, request.GET.get("token", ""))
        except PendingImportError as exc:
            messages.error(request, str(exc))
            return redirect(self.upload_url)
        return self.render_to_response(self.get_context_data(pending=pending, summary=pending.summary,
                                                             token=pending.token))

    def post(self, request, *args, **kwargs):
        token = request.POST.get("token", "")
        if "cancel" in request.POST:
            pending_imports.discard(request.user, self.kind, token)
            messages.info(request, _("Afgebroken: er is niets veranderd."))
            return redirect(self.upload_url)
        try:
            result = self.confirm(request.user, token)
        except PendingImportError as exc:
            messages.error(request, str(exc))
            return redirect(self.upload_url)
        messages.success(request, self.success_message(result))
        return redirect(self.upload_url)


class PostcodeConfirmView(ConfirmImportView):
    """What a new postcode table adds and removes; the beheerder confirms before it replaces the table."""

    capability = "postcode.import"
    template_name = "core/postcode_confirm.html"
    kind = "postcodes"
    upload_url = "core:postcode_import"

    def confirm(self, user, token):
        from samen.core.services import geography

        return geography.confirm_postcode_import(user, token)

    def success_message(self, report) -> str:
        return _("%(count)s postcodereeksen ingelezen.") % {"count": report.imported}
