"""The operator's side: onboarding, rollout, lifecycle, console, vendor API, operator
commands and demo data. Crosses towns on purpose; says so by name (``all_tenants_...``)."""
