"""harness: the CI gate and review tool for Supabase / PostgreSQL migrations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("harness")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
