"""Template context: the navigation a user's role gives access to, grouped per building block.

The entries come from the registry (``registry.menu_group`` / ``registry.menu_entry`` for staff,
``registry.public_page`` with a label for the public site); the core names no building block's page.
"""

from django.urls import reverse

from samen.core import policy, registry


def staff_menu(user, path: str = "") -> list[dict]:
    """The groups of the staff menu with the entries this user's capabilities allow, empty groups left out."""
    capabilities = policy.capabilities_of(user)
    groups = []
    for group in registry.by_order(registry.menu_groups):
        items = []
        for entry in registry.menu:
            if entry.group == group.key and (entry.capability is None or entry.capability in capabilities):
                url = reverse(entry.url_name)
                items.append({"url": url, "label": entry.label, "current": path == url})
        if items:
            groups.append({"key": group.key, "label": group.label, "items": items})
    return groups


def public_menu(path: str = "") -> list[dict]:
    pages = [page for page in registry.by_order(registry.public_pages) if page.label is not None]
    return [{"url": reverse(page.url_name), "label": page.label, "current": path == reverse(page.url_name)}
            for page in pages]


def public_home_url() -> str:
    """Where the logo leads a visitor: the registered public start page (or the login page)."""
    home = next((page for page in registry.public_pages if page.home), None)
    return reverse(home.url_name if home else "core:login")


def navigation(request):
    user = getattr(request, "user", None)
    context = {"public_home_url": public_home_url()}
    if user is None or not getattr(user, "is_authenticated", False):
        return {**context, "navigation": public_menu(request.path), "navigation_groups": []}
    if not policy.is_fully_authenticated(user):
        return {**context, "navigation": [], "navigation_groups": []}
    groups = staff_menu(user, request.path)
    return {**context, "navigation": [item for group in groups for item in group["items"]],
            "navigation_groups": groups}


def public_site(request):
    """``public_site``: the municipality's name, logo and contact details for the footer (samen.core.site)."""
    from samen.core.site import site_details, site_gemeente

    return {"public_site": site_details(site_gemeente(request))}
