"""The Django admin: the platform operator's, and each agency admin's for its own agency.

- ``scoping``: the mixin that narrows every screen to the admin's agency, and the review lock
- ``plan``: the agency, its bidang and its plans
- ``review``: realisations, evidence and review status, read only
- ``accounts``: users and their profiles
"""

from renaksi.admin import accounts, plan, review  # noqa: F401  (they register the screens)
