"""The audit log: who did what, when and from which address, kept apart from the rows it
describes so that it outlives them, and append-only (the database refuses to change or
delete an entry). Upper layers write to it with `audit.record(...)` and nothing else."""


def record(kind, **what):
    """Add an entry (see `workbench.audit.log.record`)."""
    # Imported here so that `from workbench import audit` works before models load.
    from .log import record as write

    return write(kind, **what)
