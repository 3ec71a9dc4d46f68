"""The base of every scenario section."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Unknown keys are errors; NaN and infinity are refused unless a key says so."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
