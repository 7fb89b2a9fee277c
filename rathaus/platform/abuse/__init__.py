"""Guards for the town's public forms, in one place.

- ``bot_check``: a form mixin with two quiet traps for bots (a honeypot field
  and a signed "form shown at" time stamp with a minimum and maximum fill time).
- ``once``: one submission per form token; a second click gets the first
  click's result.
- ``limits``: named rate limits, counted per client address, account or
  e-mail address, per town (the cache keys carry the town's schema).
"""
