"""How often the console's login may be tried (django-axes also counts per address)."""

from rathaus.platform.abuse.limits import Per, RateLimit

CONSOLE_LOGIN = RateLimit("vendor.console-login", "30/m", Per.CLIENT)
