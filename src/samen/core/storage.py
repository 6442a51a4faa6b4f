"""Static files: hashed names and gzip copies (whitenoise). Brotli is left out: at its maximum quality
it made `collectstatic` take about a minute on the API docs bundles, for little gain."""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)
