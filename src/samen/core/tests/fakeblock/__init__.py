"""A throw-away building block, installed only in the test settings (``samen.conf.test``).

It proves the extension points: a model with its own ``visible_to`` rule, a capability, a menu
group and entry, a home panel, a URL, a demo loader, a permission-matrix sample and its own
``permission_matrix.yaml`` — all from this folder and the one INSTALLED_APPS line, without any
edit in the core. ``core/tests/test_registry.py`` checks that the core picks every one of them up.
"""
