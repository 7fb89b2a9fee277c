"""Apps acting for a person: the town's OAuth 2.0 server (django-oauth-toolkit).

Authorization code with PKCE (S256) for public clients such as the town's mobile
app; applications, grants and tokens live in each town's schema, so one town's
app or token does not exist on another town's host. API views declare the
capability they serve (``oauth_scope``); :class:`~.permissions.AppScope` lets a
token through only with that capability's read or write scope.
"""
