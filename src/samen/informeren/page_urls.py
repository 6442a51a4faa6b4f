"""Public pages: the self-check and how the approach works (with its printable A4)."""

urlpatterns = []
