"""Import-linter contract types of our own (``contract_types`` in ``.importlinter``).

``service_modules``: every service module (a package under ``container`` with a
``module.py``) is imported only by itself. Modules never import each other, and
nothing outside a module names it; they meet through the platform's ports. The
modules are found by folder, as the settings find them, so this file names none.
"""

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class ServiceModulesContract(Contract):
    type_name = "service_modules"

    container = fields.StringField()

    def _service_modules(self, graph: ImportGraph) -> list[str]:
        container = str(self.container)
        return sorted(
            child for child in graph.find_children(container) if f"{child}.module" in graph.modules
        )

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        found = self._service_modules(graph)
        violations: list[tuple[str, str, int | None]] = []
        for package in found:
            inside = {package, *graph.find_descendants(package)}
            for imported in sorted(inside):
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if importer in inside:
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    line = details[0]["line_number"] if details else None
                    violations.append((importer, imported, line))
        return ContractCheck(
            kept=not violations and bool(found),
            metadata={"violations": violations, "modules": found},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        if not check.metadata["modules"]:
            output.print_error(f"No service modules found under {self.container}.")
            return
        for importer, imported, line in check.metadata["violations"]:
            where = f" (l. {line})" if line else ""
            output.print_error(f"{importer} imports {imported}{where}", bold=False)
            output.new_line()
