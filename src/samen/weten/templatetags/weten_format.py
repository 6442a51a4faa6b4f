"""Template filters for the monitor's figures in Dutch."""

from django import template

from samen.weten.factors import p_text

register = template.Library()


@register.filter
def p_is(value) -> str:
    """'= 0,012' or '< 0,001' (after "p"); empty without a p-value."""
    text = p_text(None if value in (None, "") else float(value))
    if not text:
        return ""
    return text if text.startswith("<") else f"= {text}"
