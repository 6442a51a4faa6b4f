"""The staff screens' forms for the catalogue, and how an entry's content is shown and compared.

``ManageActivityForm`` is the one validator (kwaliteit.forms.ActivityForm) plus a friendly "repeat"
helper: none / every week on some days / every N weeks / the Nth weekday of the month. The helper
composes the iCalendar RRULE on the server (``compose``); power users choose "other" and type a rule.
``decompose`` reads a rule back into the helper, so an edit starts where the provider left off.

``content_rows`` and ``changes`` turn stored content (ActivityVersion.data, or the live activity through
``live_content``) into readable rows: field label, old → new.

By responsibility: ``repeat`` (the helper), ``activity`` (the form), ``content`` (showing and comparing),
``review``, ``catalogue`` (interventions, theme weeks). The public names are re-exported here.
"""

from samen.kwaliteit.manage_forms.activity import (
    FIELDSETS,
    HELPER_FIELDS,
    ManageActivityForm,
    form_initial,
    helper_initial,
)
from samen.kwaliteit.manage_forms.catalogue import (
    InterventionForm,
    ThemeWeekForm,
    apply_errors,
)
from samen.kwaliteit.manage_forms.content import (
    CONTENT_FIELDS,
    Change,
    changes,
    content_rows,
    display,
    live_content,
    normalise,
)
from samen.kwaliteit.manage_forms.repeat import (
    DAY_CHOICES,
    DAY_CODES,
    ORDINAL_CHOICES,
    ORDINALS,
    Repeat,
    RepeatChoice,
    compose,
    decompose,
    repeat_text,
    when_text,
)
from samen.kwaliteit.manage_forms.review import (
    ReviewForm,
)

__all__ = [
    "DAY_CHOICES",
    "DAY_CODES",
    "ORDINALS",
    "ORDINAL_CHOICES",
    "Repeat",
    "RepeatChoice",
    "compose",
    "decompose",
    "repeat_text",
    "when_text",
    "FIELDSETS",
    "HELPER_FIELDS",
    "ManageActivityForm",
    "form_initial",
    "helper_initial",
    "CONTENT_FIELDS",
    "Change",
    "changes",
    "content_rows",
    "display",
    "live_content",
    "normalise",
    "ReviewForm",
    "InterventionForm",
    "ThemeWeekForm",
    "apply_errors",
]
