"""The page registry: which pages exist, in which section, for which roles.

dashboard.py builds ``st.navigation`` from this list for the signed-in role; the AppTest suite
checks every page here renders for every role allowed to see it.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("viewer", "finance", "team_lead", "admin")


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    roles: tuple[str, ...] = ALL_ROLES
    default: bool = False

    @property
    def url_path(self) -> str:
        """Streamlit's address for a file page: its file name without ``.py``."""
        return self.path.removeprefix("pages/").removesuffix(".py")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/portfolio.py", "Portfolio", ":material/dashboard:", "Portfolio", default=True),
    PageSpec("pages/initiative.py", "Initiative", ":material/target:", "Portfolio"),
    PageSpec("pages/governance.py", "Governance", ":material/shield_person:", "Portfolio"),
    PageSpec("pages/spend.py", "Spend", ":material/pie_chart:", "Finance"),
    PageSpec("pages/roi_review.py", "ROI Review", ":material/account_balance:", "Finance"),
    PageSpec("pages/unit_costs.py", "Unit Costs", ":material/price_check:", "Finance"),
    PageSpec("pages/price_book.py", "Price Book", ":material/sell:", "Finance", roles=("finance", "admin")),
    PageSpec("pages/rightsize_lab.py", "Right-Size Lab", ":material/science:", "Models"),
    PageSpec("pages/model_registry.py", "Model Registry", ":material/inventory_2:", "Models"),
    PageSpec("pages/drift.py", "Drift", ":material/monitoring:", "Models"),
    PageSpec("pages/imports.py", "Imports", ":material/upload_file:", "Data", roles=("finance", "team_lead", "admin")),
    PageSpec("pages/admin.py", "Admin", ":material/admin_panel_settings:", "Admin", roles=("admin",)),
)


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]
