"""Project tooling: building, serving and checking the site (not part of Pelican's plugins)."""
