"""How often one client may book: on the town's pages and through the app's API together."""

from rathaus.platform.abuse.limits import Per, RateLimit

# Public booking, per client address and per town; each booking may send an e-mail.
BOOKING = RateLimit("appointments.booking", "20/h", Per.CLIENT)
