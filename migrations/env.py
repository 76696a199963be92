"""Alembic environment: the models' metadata, the URL given by learning.core.migrate."""
from alembic import context
from sqlalchemy import create_engine

import learning.models  # noqa: F401  (registers every table on Base.metadata)
from learning.core.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    given = config.attributes.get("connection")  # tests pass their own connection
    if given is not None:
        _run(given)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
