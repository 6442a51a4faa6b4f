"""The test suite's settings: the project's, plus a throw-away building block
(``samen.core.tests.fakeblock``) that proves a block plugs in without any edit in the core."""

from samen.conf.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "samen.core.tests.fakeblock"]  # noqa: F405
