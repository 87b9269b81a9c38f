"""Tools for the people who publish content: `make check`, `make new-session`,
`make install-hooks`. They reuse the plugins' validators; none writes the site."""
