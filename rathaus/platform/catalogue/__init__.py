"""The town's service catalogue: every service it offers, by life situation, with search.

The platform owns the catalogue's port (``entries``: what a service entry is,
``sources``: who lists them), its search and its pages. The layers above fill
the port: the module framework lists the ``catalogue_entries`` of every module
active in the current town. Nothing here knows a module.
"""
