"""Models: schedules that compose the mechanisms into a tick."""
