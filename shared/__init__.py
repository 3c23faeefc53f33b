"""motcua: everything that is not a screen."""
