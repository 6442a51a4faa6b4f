"""The extension points of Samen: what each building block contributes, registered from its own code.

The core never imports a building block. Each app registers, from its ``blocks.py`` (imported in its
``AppConfig.ready()``), what it brings:

* ``capabilities``: the capabilities it defines, the roles that hold them, and whether they touch
  personal data (those need a second factor and leave access-log entries);
* ``models``: for each of its models the capability that lets a user see its records, and how far
  (a scope function, or the model's own ``visible_to(user, queryset)`` classmethod);
* ``menu_groups`` and ``menu``: its group in the staff menu (one per bouwsteen) and the entries in it,
  each shown to the roles that hold its capability;
* ``home_panels``: a panel on the staff home page (a template and a function that gives its context,
  or ``None`` when it has nothing to show); ``wijk_sections``: the same on a wijk's page;
* ``today``: what is due today, one line each, gathered in the home page's *Vandaag* list;
* ``demo_loaders``: how it loads its demo data, and after which other loaders;
* ``public_pages``: the public site's pages (menu items and pages that need no login);
* ``urls`` and ``api``: its URL module and its API routes (``samen/urls.py`` and ``samen/api_urls.py``
  include what is registered here);
* ``matrix_samples``: for the permission-matrix test, how to find a record of its models for a URL.

Every registry is keyed by a unique id and refuses a second registration under the same id
(as Open Formulieren's ``plugins/registry.py`` does), so two apps cannot silently shadow each other.
Registrations keep their order; where the order matters they carry an ``order`` number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(ValueError):
    pass


class Registry(Generic[T]):
    """Entries under a unique id, in the order they were registered."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> T:
        if key in self._entries:
            raise AlreadyRegistered(f"{self.name}: {key!r} is already registered.")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        del self._entries[key]

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._entries.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())


@dataclass(frozen=True)
class Capability:
    name: str
    roles: frozenset[str]
    personal_data: bool = False
    app: str = ""


@dataclass(frozen=True)
class ModelRule:
    """Who sees a model's records: the capability, then an optional scope (user, queryset) -> queryset.
    Without a scope, the model's own ``visible_to(user, queryset)`` classmethod is used if it has one."""

    label: str
    capability: str
    scope: Callable | None = None


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: Any
    order: int


@dataclass(frozen=True)
class MenuEntry:
    key: str
    group: str
    url_name: str
    label: Any
    capability: str | None = None


@dataclass(frozen=True)
class Panel:
    """A card on a page: ``context(user[, obj])`` returns the template's context, or None to show nothing."""

    key: str
    template: str
    context: Callable[..., dict | None]
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class TodayItems:
    """What is due today for a user: ``items(user)`` returns a list of ``{"text": ..., "url": ...}``
    (empty when nothing is due); the home page shows all blocks' lines in one *Vandaag* list."""

    key: str
    items: Callable[..., list[dict]]
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable  # load(gemeente) -> str | None (a line for the command's output)
    after: tuple[str, ...] = ()
    extra: bool = False  # large or slow: only ``samen demo`` loads it, not the test suite's demo


@dataclass(frozen=True)
class PublicPage:
    url_name: str
    label: Any = None  # with a label it is in the public menu
    order: int = 100
    home: bool = False  # the public site's start page (where the logo leads a visitor)


@dataclass(frozen=True)
class UrlInclude:
    key: str
    prefix: str
    module: str
    order: int = 100


@dataclass(frozen=True)
class ApiContribution:
    """A block's API, read when the URLs are built (so no view is imported at start-up): ``routes()``
    gives (prefix, viewset, basename) for the router, ``paths()`` plain URL patterns."""

    key: str
    routes: Callable[[], list] | None = None
    paths: Callable[[], list] | None = None


@dataclass(frozen=True)
class MatrixSample:
    """For the URL parameter ``pk`` of URL names containing ``key``: ``find(gemeente)`` gives a primary key."""

    key: str
    find: Callable


capabilities: Registry[Capability] = Registry("capabilities")
models: Registry[ModelRule] = Registry("models")
menu_groups: Registry[MenuGroup] = Registry("menu groups")
menu: Registry[MenuEntry] = Registry("menu")
home_panels: Registry[Panel] = Registry("home panels")
wijk_sections: Registry[Panel] = Registry("wijk sections")
today: Registry[TodayItems] = Registry("today")
demo_loaders: Registry[DemoLoader] = Registry("demo loaders")
public_pages: Registry[PublicPage] = Registry("public pages")
urls: Registry[UrlInclude] = Registry("urls")
api: Registry[ApiContribution] = Registry("api")
matrix_samples: Registry[MatrixSample] = Registry("matrix samples")


@dataclass(frozen=True)
class RecordSection:
    """A section another block adds to one record's page (the resident page shows the trajectories,
    the signal page the trajectory it started): ``context(user, obj)`` gives the template's context or
    ``None`` when there is nothing to show."""

    key: str
    model: str  # the record's model label, e.g. "core.resident"
    template: str
    context: Callable
    capability: str | None
    order: int


@dataclass(frozen=True)
class ReporterStage:
    """What a reporting professional sees of their signal's progress beyond triage (``stages(signals)``
    returns {signal id: Dutch stage} for the signals it knows more of), never the content."""

    key: str
    stages: Callable


record_sections: Registry[RecordSection] = Registry("record sections")
reporter_stages: Registry[ReporterStage] = Registry("reporter stages")


# Small helpers, so a block's registrations read as one line each.

def capability(name: str, roles: Iterable[str], *, personal_data: bool = False, app: str = "") -> Capability:
    return capabilities.register(name, Capability(name, frozenset(roles), personal_data, app))


def model(label: str, capability: str, scope: Callable | None = None) -> ModelRule:
    return models.register(label, ModelRule(label, capability, scope))


def menu_group(key: str, label, order: int) -> MenuGroup:
    return menu_groups.register(key, MenuGroup(key, label, order))


def menu_entry(group: str, url_name: str, label, capability: str | None = None) -> MenuEntry:
    return menu.register(url_name, MenuEntry(url_name, group, url_name, label, capability))


def home_panel(key: str, template: str, context: Callable, capability: str | None = None,
               order: int = 100) -> Panel:
    return home_panels.register(key, Panel(key, template, context, capability, order))


def wijk_section(key: str, template: str, context: Callable, capability: str | None = None,
                 order: int = 100) -> Panel:
    return wijk_sections.register(key, Panel(key, template, context, capability, order))


def today_items(key: str, items: Callable, capability: str | None = None, order: int = 100) -> TodayItems:
    return today.register(key, TodayItems(key, items, capability, order))


def demo_loader(key: str, load: Callable, after: Iterable[str] = (), extra: bool = False) -> DemoLoader:
    return demo_loaders.register(key, DemoLoader(key, load, tuple(after), extra))


def public_page(url_name: str, label=None, order: int = 100, home: bool = False) -> PublicPage:
    return public_pages.register(url_name, PublicPage(url_name, label, order, home))


def url_include(key: str, prefix: str, module: str, order: int = 100) -> UrlInclude:
    return urls.register(key, UrlInclude(key, prefix, module, order))


def api_contribution(key: str, routes: Callable[[], list] | None = None,
                     paths: Callable[[], list] | None = None) -> ApiContribution:
    return api.register(key, ApiContribution(key, routes, paths))


def matrix_sample(key: str, find: Callable) -> MatrixSample:
    return matrix_samples.register(key, MatrixSample(key, find))


def record_section(model_label: str, key: str, template: str, context: Callable, capability: str | None = None,
                   order: int = 100) -> RecordSection:
    return record_sections.register(f"{model_label}:{key}",
                                    RecordSection(key, model_label, template, context, capability, order))


def sections_for(model_label: str) -> list[RecordSection]:
    return sorted((s for s in record_sections if s.model == model_label), key=lambda s: s.order)


def reporter_stage(key: str, stages: Callable) -> ReporterStage:
    return reporter_stages.register(key, ReporterStage(key, stages))


def demo_order() -> list[DemoLoader]:
    """The demo loaders with every loader after the ones it names (a topological order, stable)."""
    pending = {loader.key: loader for loader in demo_loaders}
    for loader in pending.values():
        unknown = set(loader.after) - set(pending)
        if unknown:
            raise LookupError(f"demo loader {loader.key!r} comes after unknown loaders {sorted(unknown)}")
    done: list[DemoLoader] = []
    seen: set[str] = set()
    while pending:
        ready = [loader for loader in pending.values() if set(loader.after) <= seen]
        if not ready:
            raise ValueError(f"demo loaders wait on each other: {sorted(pending)}")
        for loader in ready:
            done.append(loader)
            seen.add(loader.key)
            del pending[loader.key]
    return done


def by_order(registry: Registry) -> list:
    return sorted(registry, key=lambda entry: getattr(entry, "order", 100))


# --- Cross-block figures and page parts (the samenwerken building block's agenda, meetings, self-assessment
# and council report read them without importing the blocks that provide them) -------------------------

@dataclass(frozen=True)
class ReportSection:
    """A part of the yearly council report: ``provide(gemeente, year, user)`` returns ``{"figures": [...],
    "note": ...}`` where each figure is a dict with at least ``label``, ``value`` (already suppressed where
    needed: None), ``source`` and ``date``; ``bouwsteen`` places the section under its building block."""

    key: str
    title: Any
    bouwsteen: str
    provide: Callable
    order: int = 100


@dataclass(frozen=True)
class IndicatorSource:
    """Indicators an agenda action can be linked to: ``list_fn(gemeente)`` gives ``[(code, label), ...]``;
    ``value_fn(gemeente, code, user, wijk=None)`` the latest measurement as ``{"value", "low", "high",
    "year", "source", "date"}`` (fractions 0..1), or None."""

    key: str
    label: Any
    list_fn: Callable
    value_fn: Callable


@dataclass(frozen=True)
class Evidence:
    """What the system knows for a self-assessment question: ``fn(gemeente, year)`` gives
    ``(answer, text)`` (answer "ja", "deels" or "nee") or None."""

    key: str
    question: str
    fn: Callable


report_sections: Registry[ReportSection] = Registry("report sections")
indicator_sources: Registry[IndicatorSource] = Registry("indicator sources")
meeting_sections: Registry[Panel] = Registry("meeting sections")
evidence_sources: Registry[Evidence] = Registry("evidence")


def report_section(key: str, title, bouwsteen: str, provide: Callable, order: int = 100) -> ReportSection:
    return report_sections.register(key, ReportSection(key, title, bouwsteen, provide, order))


def indicator_source(key: str, label, list_fn: Callable, value_fn: Callable) -> IndicatorSource:
    return indicator_sources.register(key, IndicatorSource(key, label, list_fn, value_fn))


def meeting_section(key: str, template: str, context: Callable, capability: str | None = None,
                    order: int = 100) -> Panel:
    """A part of a network meeting's page: ``context(meeting, user)`` gives the template's context or None."""
    return meeting_sections.register(key, Panel(key, template, context, capability, order))


def evidence(key: str, question: str, fn: Callable) -> Evidence:
    return evidence_sources.register(key, Evidence(key, question, fn))


@dataclass(frozen=True)
class FactsheetSection:
    """A part of the monitor's council factsheet (HTML and tagged PDF), after the survey's figures:
    ``provide(gemeente, user, wijk)`` (``wijk``: a wijk's code, or None for the municipality) returns the
    template's context, or None to leave the section out. Every figure in it is already suppressed as the
    block publishes it elsewhere; ``capability``: who gets the section in their factsheet."""

    key: str
    title: Any
    template: str
    provide: Callable
    capability: str | None = None
    order: int = 100


factsheet_sections: Registry[FactsheetSection] = Registry("factsheet sections")


def factsheet_section(key: str, title, template: str, provide: Callable, capability: str | None = None,
                      order: int = 100) -> FactsheetSection:
    return factsheet_sections.register(key, FactsheetSection(key, title, template, provide, capability, order))
