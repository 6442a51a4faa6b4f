"""Providers maintain their entries; the regisseur reviews; interventions and theme weeks."""

urlpatterns = []
