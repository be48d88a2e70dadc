"""Date formats of the site's languages where Django's own mislead (FORMAT_MODULE_PATH)."""
