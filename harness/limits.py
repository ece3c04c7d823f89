"""Time limits every command shares; kept free of imports so the command line can show them cheaply."""

DEFAULT_TIMEOUT_S = 300.0  # --timeout: per migration file, seed and suite
