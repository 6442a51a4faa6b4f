from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from samen.core import policy
from samen.core.views.mixins import PolicyMixin

from .models import Note


class NoteListView(PolicyMixin, TemplateView):
    capability = "note.view"
    template_name = "fakeblock/note_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "notes": policy.visible(self.request.user, Note)}


class NoteDetailView(PolicyMixin, TemplateView):
    capability = "note.manage"
    template_name = "fakeblock/note_list.html"

    def get_context_data(self, **kwargs):
        note = get_object_or_404(policy.visible(self.request.user, Note), pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), "notes": [note]}
