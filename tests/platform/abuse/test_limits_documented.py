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
    rows = dict(
        (name, (rate, per))
        for name, rate, per in re.findall(
            r"^\| `([a-z.-]+)` \| (\S+) \| ([a-z -]+) \|$", guide, re.M
        )
    )

    documented = {name: rows.get(name) for name in (limit.name for limit in declared_limits())}

    assert documented == {limit.name: (limit.rate, PER[limit.per]) for limit in declared_limits()}
