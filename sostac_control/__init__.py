"""sostac-control: KPI tracking and Control-phase analytics for social media plans."""

__version__ = "0.1.0"
