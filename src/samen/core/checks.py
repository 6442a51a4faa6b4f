"""System checks: a missing front-end install is reported clearly at start-up."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def frontend_installed(app_configs, **kwargs):
    errors = []
    for prefix, path in settings.STATICFILES_DIRS:
        if not path.is_dir():
            errors.append(Error(
                f"The front-end files for /static/{prefix}/ are missing ({path}).",
                hint="Run scripts/bootstrap.sh (it runs npm ci in frontend/).",
                id="samen.E001",
            ))
    return errors
