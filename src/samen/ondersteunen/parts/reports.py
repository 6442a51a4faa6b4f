"""ondersteunen's registrations for this part (imported from ondersteunen.blocks)."""

from __future__ import annotations
