"""The public activity finder, one activity's page and calendar file, and the samen-week calendar.

No login. Everything shown comes from kwaliteit.services.search (the finder, the same search as the API)
or catalogue.public_activities() (the pages): an activity that is not public is a 404 here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from samen.core.models import Wijk
from samen.core.public import public_gemeente
from samen.informeren import charts
from samen.kwaliteit import schedule
from samen.kwaliteit.models import Occurrence, ThemeWeek
from samen.kwaliteit.services import search as finder
from samen.kwaliteit.services.catalogue import public_activities
from samen.kwaliteit.vocabulary import WEEKDAYS, Interest, Language, PartOfDay, TargetGroup

PAGE_SIZE = 20
NEXT_DATES = 6
# Which form field shows a search error about which URL parameter.
FIELD_OF = {"house_number": "postcode", "part": "part", "q": "q", "wijk": "wijk", "postcode": "postcode",
            "interest": "interest", "target_group": "target_group", "free": "free", "accessible": "accessible",
            "online": "q"}


class FinderForm(forms.Form):
    """The finder's filters, as GET parameters with the API's names (plus ``date`` beside ``day``)."""

    q = forms.CharField(label=_("Zoek op woord"), required=False, max_length=finder.MAX_QUERY_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=_("Bijvoorbeeld: koffie, wandelen, tablet."))
    postcode = forms.CharField(label=_("Dicht bij postcode"), required=False, max_length=7,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
                               help_text=_("Wat het dichtst bij is, staat bovenaan."))
    wijk = forms.ChoiceField(label=_("In de wijk"), required=False)
    date = forms.DateField(label=_("Op datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    day = forms.ChoiceField(label=_("Of op een vaste dag"), required=False)
    part = forms.ChoiceField(label=_("Dagdeel"), required=False,
                             choices=[("", _("de hele dag")), *PartOfDay.choices])
    interest = forms.MultipleChoiceField(label=_("Wat doet u graag?"), required=False, choices=Interest.choices,
                                         widget=forms.CheckboxSelectMultiple)
    target_group = forms.ChoiceField(label=_("Voor wie"), required=False,
                                     choices=[("", _("maakt niet uit")),
                                              *[(v, label) for v, label in TargetGroup.choices if v != "everyone"]])
    free = forms.BooleanField(label=_("Alleen gratis"), required=False)
    accessible = forms.BooleanField(label=_("Alleen rolstoeltoegankelijk"), required=False)

    def __init__(self, *args, wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].choices = [("", _("alle wijken")), *[(w.code, w.display_name) for w in wijken]]
        self.fields["day"].choices = [("", _("alle dagen")), *[(str(i), name) for i, name in enumerate(WEEKDAYS)]]


def controls(form: FinderForm) -> list[dict]:
    """The form's fields as plain data for the template, which writes the HTML itself: Django's widget
    templates (an include per option) cost more than the rest of the page together."""
    data, out = form.data, []
    for name, field in form.fields.items():
        errors = form.errors.get(name, [])
        described = ([f"id_{name}_help"] if field.help_text else []) + ([f"id_{name}_error"] if errors else [])
        control = {"name": name, "id": f"id_{name}", "label": field.label, "help": field.help_text,
                   "errors": errors, "describedby": " ".join(described)}
        if isinstance(field, forms.MultipleChoiceField):
            chosen = set(data.getlist(name)) if hasattr(data, "getlist") else set()
            control.update(kind="checkboxes", options=[
                (f"id_{name}_{index}", value, capfirst(str(label)), value in chosen)
                for index, (value, label) in enumerate(field.choices)])
        elif isinstance(field, forms.ChoiceField):
            current = data.get(name, "")
            control.update(kind="select", options=[(value, label, str(value) == current)
                                                   for value, label in field.choices])
        elif isinstance(field, forms.BooleanField):
            control.update(kind="checkbox", checked=str(data.get(name, "")).lower() in ("on", "true", "1"))
        else:
            control.update(kind="input", type=field.widget.attrs.get("type", field.widget.input_type),
                           value=data.get(name, ""),
                           maxlength=getattr(field, "max_length", None),
                           autocomplete=field.widget.attrs.get("autocomplete", ""))
        out.append(control)
    return out


def _wijken(gemeente) -> list[Wijk]:
    return list(Wijk.objects.filter(gemeente=gemeente).order_by("code"))


class FinderView(TemplateView):
    """Search activities near a postcode, in a wijk, on a day, by interest. htmx updates the results in
    place (HX-Request: only the results); without JavaScript the form simply reloads the page."""

    template_name = "informeren/finder.html"

    def results_only(self) -> bool:
        headers = self.request.headers
        return bool(headers.get("HX-Request")) and not headers.get("HX-History-Restore-Request")

    def get_template_names(self):
        return ["informeren/finder_results.html" if self.results_only() else self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        gemeente = public_gemeente(self.request)
        wijken = _wijken(gemeente)
        form = FinderForm(self.request.GET, wijken=wijken)
        context = {**super().get_context_data(**kwargs), "gemeente": gemeente, "form": form, "wijken": wijken,
                   "results_only": self.results_only()}
        if not form.is_valid():
            return {**context, "failed": True, "controls": controls(form)}
        data = form.cleaned_data
        try:
            found = finder.search(gemeente, q=data["q"], wijk=data["wijk"], postcode=data["postcode"],
                                  day=data["date"] or data["day"], part_of_day=data["part"],
                                  interest=data["interest"], target_group=data["target_group"],
                                  free=data["free"], accessible=data["accessible"])
        except finder.SearchError as exc:
            field = "date" if exc.parameter == "day" and data["date"] else FIELD_OF.get(exc.parameter, "day")
            form.add_error(field, exc.message)
            return {**context, "failed": True, "controls": controls(form)}
        searched, corrected = data["q"], None
        if searched and not found.count():  # a small typo still finds: search again with the nearest words
            corrected = finder.suggest(gemeente, searched)
            if corrected:
                retry = finder.search(gemeente, q=corrected, wijk=data["wijk"], postcode=data["postcode"],
                                      day=data["date"] or data["day"], part_of_day=data["part"],
                                      interest=data["interest"], target_group=data["target_group"],
                                      free=data["free"], accessible=data["accessible"])
                found, corrected = (retry, corrected) if retry.count() else (found, None)
        counts = found.per_wijk()  # first: the total then comes from the same query
        paginator = Paginator(found.results, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("pagina"))
        for activity in page:
            activity.when = when(activity)
        query = self.request.GET.copy()
        query.pop("pagina", None)
        by_code = {w.code: counts.get(w.pk, 0) for w in wijken}
        wijk_url = self._wijk_links(query)
        without_words = query.copy()
        without_words.pop("q", None)
        return {**context, "controls": controls(form), "found": found, "page": page, "query": query.urlencode(),
                "near": found.near, "searched": searched, "corrected": corrected,
                "without_words": reverse("informeren:finder") + ("?" + without_words.urlencode()
                                                                 if without_words else ""),
                "wijk_counts": [(w, by_code[w.code], wijk_url(w.code)) for w in wijken],
                "map_svg": charts.wijk_map([(w.code, w.policy_name or w.official_name, w.boundary) for w in wijken],
                                           by_code, wijk_url,
                                           selected=found.filters.wijk.code if found.filters.wijk else None)}

    @staticmethod
    def _wijk_links(query):
        """code -> this search in that wijk (the other filters kept, the wijk last)."""
        params = query.copy()
        params.pop("wijk", None)
        prefix = reverse("informeren:finder") + "?" + (params.urlencode() + "&" if params else "")
        return lambda code: f"{prefix}wijk={quote(code)}"


def _public_activity(request, pk):
    gemeente = public_gemeente(request)
    activity = (public_activities(gemeente).select_related("location", "organisation", "wijk", "buurt")
                .defer("wijk__boundary").filter(pk=pk).first())
    if activity is None:
        raise Http404("no such public activity")
    return activity


class ActivityView(TemplateView):
    """One activity: when, where, cost, how to join, for whom, contact, organiser, interventions."""

    template_name = "informeren/activity.html"

    def get_context_data(self, **kwargs):
        activity = _public_activity(self.request, kwargs["pk"])
        today = timezone.localdate()
        dates = list(Occurrence.objects.filter(activity=activity, date__gte=today).order_by("date", "start_time")
                     .values_list("date", flat=True)[:NEXT_DATES])
        interventions = list(activity.interventions.order_by("name"))
        return {**super().get_context_data(**kwargs), "activity": activity, "next_dates": dates,
                "when": when(activity), "interventions": interventions,
                "target_groups": _labels(TargetGroup, activity.target_groups),
                "interests": _labels(Interest, activity.interests),
                "activity_languages": _labels(Language, activity.languages),
                "back": _back_link(self.request)}


class ActivityCalendarView(View):
    """'Zet in mijn agenda': the activity as an iCalendar file (one event, with its repetition)."""

    def get(self, request, pk):
        activity = _public_activity(request, pk)
        body = schedule.ical([activity], name=activity.title, uid_domain=request.get_host().split(":")[0] or "samen")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="activiteit-{activity.pk}.ics"'
        return response


class ThemeWeekView(TemplateView):
    """The samen-week (the national Week tegen Eenzaamheid): its events day by day."""

    template_name = "informeren/theme_week.html"

    def get_context_data(self, **kwargs):
        gemeente = public_gemeente(self.request)
        today = timezone.localdate()
        week = (ThemeWeek.objects.filter(gemeente=gemeente, ends_on__gte=today).order_by("starts_on").first())
        context = {**super().get_context_data(**kwargs), "week": week}
        if week is None:
            return context
        return {**context, "days": theme_week_days(gemeente, week)}


class ThemeWeekCalendarView(View):
    """The samen-week's events as one iCalendar file: each event holds only its dates in the week."""

    def get(self, request):
        gemeente = public_gemeente(request)
        week = (ThemeWeek.objects.filter(gemeente=gemeente, ends_on__gte=timezone.localdate())
                .order_by("starts_on").first())
        if week is None:
            raise Http404("no theme week ahead")
        activities = (public_activities(gemeente).filter(theme_week=True).select_related("location")
                      .order_by("pk"))
        body = schedule.ical(activities, name=str(week), uid_domain=request.get_host().split(":")[0] or "samen",
                             window=(week.starts_on, week.ends_on))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="samen-week-{week.starts_on:%Y}.ics"'
        return response


def theme_week_days(gemeente, week: ThemeWeek) -> list[dict]:
    """Each day of the week with its events (theme-week activities on that day), by start time.

    The dates come from each activity's schedule: the week may lie beyond the months for which planned
    dates are stored, and an activity announced for the week may repeat.
    """
    activities = (public_activities(gemeente).filter(theme_week=True)
                  .select_related("location", "organisation", "wijk").defer("wijk__boundary"))
    per_day = defaultdict(list)
    for activity in activities:
        for day in schedule.dates(activity.start_date, activity.start_time, activity.rrule, activity.valid_until,
                                  week.starts_on, week.ends_on):
            per_day[day].append(activity)
    days, day = [], week.starts_on
    while day <= week.ends_on:
        events = sorted(per_day.get(day, []), key=lambda a: (a.start_time, a.title))
        days.append({"date": day, "events": events, "today": day == timezone.localdate()})
        day += dt.timedelta(days=1)
    return days


def when(activity) -> str:
    """The schedule in words, as the staff screens say it (schedule.describe)."""
    return schedule.describe(activity)


def _labels(choices, codes) -> list[str]:
    names = dict(choices.choices)
    return [str(names[code]) for code in codes if code in names]


def _back_link(request) -> str:
    """Back to the finder with the resident's filters, when they came from it (same site only)."""
    referer = request.headers.get("Referer", "")
    finder_path = reverse("informeren:finder")
    host = request.get_host()
    for prefix in (f"http://{host}", f"https://{host}"):
        if referer.startswith(prefix + finder_path):
            return referer[len(prefix):]
    return finder_path
