"""Data shipped with the package: the historical record and the places of Petrograd."""
