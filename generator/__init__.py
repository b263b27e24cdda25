"""asyncrud: generate and grow async FastAPI + SQLAlchemy 2.0 projects."""

__version__ = "0.2.0"
