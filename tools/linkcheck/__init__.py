"""Our link checker: offline checks of a built site, and polite live checks of external links.

``check_site`` parses every built file once and resolves every link in memory;
``LiveChecker`` checks external URLs over the network; ``cli.run`` does both and reports.
"""

from tools.linkcheck.config import CheckerConfig, LiveSettings, SiteConfig, load_config
from tools.linkcheck.external import LiveChecker
from tools.linkcheck.model import ExternalResult, Kind, Outcome, Problem, Usage
from tools.linkcheck.offline import SiteCheck, check_site

__all__ = [
    "CheckerConfig",
    "ExternalResult",
    "Kind",
    "LiveChecker",
    "LiveSettings",
    "Outcome",
    "Problem",
    "SiteCheck",
    "SiteConfig",
    "Usage",
    "check_site",
    "load_config",
]
