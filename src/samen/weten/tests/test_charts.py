"""Charts drawn on the server: the machine-wide cache of rendered SVGs."""


def test_a_chart_drawn_once_is_read_back_by_another_process(monkeypatch):
    """The machine's chart cache: after the process forgets (another worker), the SVG comes from the cache,
    not from vl-convert again; a different specification is drawn."""
    from django.core.cache import caches

    from samen.weten import charts

    spec = {"$schema": charts.SCHEMA, "title": "Proef", "data": {"values": [{"a": 1, "b": 2}]},
            "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    caches["charts"].clear()
    charts._render.cache_clear()
    first = charts.svg(spec)
    charts._render.cache_clear()  # as if another worker process

    def refuse(_spec):
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts.vl_convert, "vegalite_to_svg", refuse)
    assert charts.svg(spec) == first
    charts._render.cache_clear()
    other = {**spec, "title": "Anders"}
    try:
        charts.svg(other)
    except AssertionError as exc:
        assert "drawn again" in str(exc)
    else:
        raise AssertionError("a new specification must be drawn")
    charts._render.cache_clear()
