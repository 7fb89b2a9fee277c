from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from rathaus.modules.models import ModuleActivation
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.platform.staff.support import support_token_issue, support_url
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
    actions = ["open_support_session"]

    @admin.action(description="Support-Zugang öffnen (protokolliert)")
    def open_support_session(
        self, request: HttpRequest, queryset: QuerySet[Municipality]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Bitte genau eine Kommune wählen.", messages.ERROR)
            return None
        town = queryset.get()
        token = support_token_issue(
            town=town,
            vendor_email=str(getattr(request.user, "email", "")),
            reason="Support über die Betreiberkonsole",
        )
        return redirect(support_url(town=town, token=token))

    # Towns are onboarded and offboarded through the lifecycle services, which
    # also create or archive schemas, admins and billing; never by a bare row.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ModuleActivation)
class ModuleActivationAdmin(admin.ModelAdmin):
    """The gates as rows; the vendor's gate changes by ``module_allow`` only (billing follows)."""

    list_display = ["town", "module", "allowed", "enabled"]
    list_filter = ["module", "allowed", "enabled"]
    search_fields = ["town__name", "town__ags", "module"]
    actions = ["allow", "withdraw"]

    def _gate(self, request: HttpRequest, rows: QuerySet[ModuleActivation], allowed: bool) -> None:
        actor = Actor.vendor(request.user)
        for row in rows.select_related("town"):
            module_allow(town=row.town, key=row.module, allowed=allowed, actor=actor)
        self.message_user(request, f"{rows.count()} Freigaben geändert; die Abrechnung folgt.")

    @admin.action(description="Freigeben (anteilig abgerechnet)")
    def allow(self, request: HttpRequest, queryset: QuerySet[ModuleActivation]) -> None:
        self._gate(request, queryset, True)

    @admin.action(description="Entziehen (ab dem nächsten Zeitraum nicht abgerechnet)")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[ModuleActivation]) -> None:
        self._gate(request, queryset, False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # read-only rows; the actions change the gate

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
