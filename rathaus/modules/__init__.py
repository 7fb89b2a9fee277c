"""Service modules: one Django app each under ``rathaus/modules/<key>/``, plus the registry.

A module registers itself in its ``module.py``::

    from rathaus.modules.registry import Module, modules

    @modules.register
    class Appointments(Module):
        key = "appointments"
        ...
"""
