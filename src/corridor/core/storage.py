"""Static files as browsers should get them on slow links: content-hashed names cached for a
year, and a gzip copy beside each (WhiteNoise serves it to browsers that accept it).

Not strict: before `collectstatic` has run (a development checkout, the test suite) a file is
served under its plain name rather than failing the page.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected yet: the finders serve it under its own name
            return name
