from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rathaus.platform.audit.services import Actor
from rathaus.platform.federation.presets.models import FederationPreset
from rathaus.platform.federation.presets.services import all_tenants_preset_apply
from rathaus.tenants.models import Municipality


@admin.register(FederationPreset)
class FederationPresetAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "protocol", "trust_level"]
    actions = ["apply_to_all_active_towns"]

    @admin.action(description=_("Auf alle aktiven Kommunen anwenden"))
    def apply_to_all_active_towns(
        self, request: HttpRequest, queryset: QuerySet[FederationPreset]
    ) -> None:
        for preset in queryset:
            count = all_tenants_preset_apply(
                preset=preset,
                towns=Municipality.objects.active(),
                actor=Actor.vendor(request.user),
            )
            self.message_user(request, f"{preset.name}: {count}", messages.SUCCESS)
