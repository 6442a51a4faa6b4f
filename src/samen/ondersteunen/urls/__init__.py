"""ondersteunen's URL modules, one per part, each included through the registry (``parts/*.py``)."""
