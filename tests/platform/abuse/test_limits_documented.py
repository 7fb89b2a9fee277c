"""The operator's table of rate limits (docs/operations.md) names every declared limit."""

import importlib
import re

from rathaus.platform.abuse.limits import Per, declared_limits
from tests.conftest import ROOT

ROW = re.compile(r"^\| `([a-z.-]+)` \| (\S+) \| ([a-z -]+) \|$", re.MULTILINE)
PER = {Per.CLIENT: "visitor", Per.ACCOUNT: "account", Per.EMAIL: "e-mail address"}


def test_every_rate_limit_is_in_the_operations_guide_with_its_rate() -> None:
    for module in sorted((ROOT / "rathaus").glob("**/limits.py")):
        importlib.import_module(".".join(module.relative_to(ROOT).with_suffix("").parts))
    guide = (ROOT / "docs" / "operations.md").read_text()
    rows = {name: (rate, per) for name, rate, per in ROW.findall(guide)}
    # The app's limits; the tests declare some of their own ("tests.…").
    limits = [limit for limit in declared_limits() if not limit.name.startswith("tests.")]

    documented = {limit.name: rows.get(limit.name) for limit in limits}

    assert documented == {limit.name: (limit.rate, PER[limit.per]) for limit in limits}
