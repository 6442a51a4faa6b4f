"""The throw-away block's registrations: the same calls a real building block makes."""

from django.utils.translation import gettext_lazy as _

from samen.core import events, registry
from samen.core.roles import Role

registry.capability("note.view", (Role.REGISSEUR, Role.SOCIAAL_WERKER), app="fakeblock")
registry.capability("note.manage", (Role.REGISSEUR,), app="fakeblock")
registry.model("fakeblock.note", "note.view")  # no scope function: Note.visible_to decides
registry.menu_group("fakeblock", _("Proefblok"), order=80)
registry.menu_entry("fakeblock", "fakeblock:note_list", _("Notities"), "note.view")


def _notes_panel(user):
    from samen.core import policy

    from .models import Note

    return {"count": policy.visible(user, Note).count()}


registry.home_panel("fakeblock.notes", "fakeblock/panels/notes.html", _notes_panel, "note.view", order=99)
registry.url_include("fakeblock", "proefblok/", "samen.core.tests.fakeblock.urls", order=99)


def _load_notes(gemeente):
    from samen.core.models import User

    from .models import Note

    Note.objects.get_or_create(gemeente=gemeente, author=User.objects.get(username="regisseur"),
                               text="Demo-notitie van de regisseur")


registry.demo_loader("fakeblock", _load_notes, after=("samenwerken",))


def _a_note(gemeente):
    from .models import Note

    return Note.objects.filter(gemeente=gemeente, author__username="regisseur").first().pk


registry.matrix_sample("note", _a_note)

# What it listens to: a triaged signal (vinden publishes it and does not know this block exists).
heard: list[dict] = []


@events.subscribe(events.SIGNAL_TRIAGED)
def remember_triage(event, **payload):
    heard.append({"event": event, **payload})
