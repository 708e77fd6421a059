"""The default need categories, their pictograms and linked SDG goals.

A node may add its own categories (stored in its database); these are the
defaults every node starts with.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    goals: tuple[int, ...]
    icon: str  # file under app/static/icons/


DEFAULT_CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in [
        Category("water", (6,), "cat-water.svg"),
        Category("health", (3,), "cat-health.svg"),
        Category("education", (4,), "cat-education.svg"),
        Category("roads", (9, 11), "cat-roads.svg"),
        Category("jobs", (8, 1), "cat-jobs.svg"),
        Category("food", (2,), "cat-food.svg"),
        Category("energy", (7,), "cat-energy.svg"),
        Category("safety", (16,), "cat-safety.svg"),
        Category("environment", (13, 15), "cat-environment.svg"),
        Category("housing", (11, 1), "cat-housing.svg"),
        Category("other", (), "cat-other.svg"),
    ]
}


def goals_for(code: str, categories: dict[str, Category] | None = None) -> list[int]:
    category = (categories or DEFAULT_CATEGORIES).get(code)
    return sorted(category.goals) if category else []
