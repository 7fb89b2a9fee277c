from django.contrib import admin
from django.http import HttpRequest

from rathaus.tenants.models import Domain, Municipality


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ags", "state", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "ags"]
    readonly_fields = ["schema_name", "created_at", "updated_at"]
    inlines = [DomainInline]

    # Towns are onboarded and offboarded through the lifecycle services, which
    # also create or archive schemas, admins and billing; never by a bare row.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
