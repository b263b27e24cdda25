"""The textbook session app: the benchmark's Item API as the FastAPI and SQLAlchemy tutorials teach it.

What issue 10 defines as the textbook app: an async engine, an `async_sessionmaker(expire_on_commit=False)`,
a plain `yield` dependency that opens one `AsyncSession` per request in a transaction and commits it
when the request is done; `session.get` to read a row; `add` + `flush` + `refresh` to create one,
`get` + `setattr` + `flush` + `refresh` to change one, `get` + `delete` + `flush` to remove one, an ORM
model and pydantic response models. Nothing is tuned: it is what a reader who followed the tutorial
would write, and what the generated project is measured against beside the raw baseline. It serves
the same routes and JSON as the generated project's `Item` API, on the table the generated
project's migration creates.

Its dependency has FastAPI's default scope, so the commit runs after the response has been sent
(and a failed commit cannot change the response): the generated project's `scope="function"`
dependency is the answer to that, and the benchmark shows what it costs or saves.

Configured by TEXTBOOK_DATABASE_URL (an async SQLAlchemy URL) and TEXTBOOK_POOL_SIZE. The pool is
sized like the other two apps' (20 connections, no overflow), so the comparison is of code, not of
pool settings.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, Numeric, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Database

engine = create_async_engine(
    os.environ["TEXTBOOK_DATABASE_URL"],
    pool_size=int(os.environ.get("TEXTBOOK_POOL_SIZE", "20")),
    max_overflow=0,
)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    # The request's transaction: committed (or rolled back on an error) when the request is done.
    async with SessionLocal.begin() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


# Model


class Base(DeclarativeBase):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


class Item(Base):
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


# Schemas


class ItemBase(BaseModel):
    name: str = Field(max_length=100)
    quantity: int
    price: Decimal = Field(max_digits=10, decimal_places=2)
    active: bool = True
    note: str | None = None


class ItemCreate(ItemBase):
    pass


class ItemUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=100)
    quantity: int | None = None
    price: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)
    active: bool | None = None
    note: str | None = None


class ItemRead(ItemBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int


# Endpoints


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(title="Items, the textbook way", lifespan=lifespan)


@app.get("/api/v1/items", response_model=ItemPage)
async def list_items(
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> ItemPage:
    items = await session.scalars(select(Item).order_by(Item.id).offset(offset).limit(limit))
    total = await session.scalar(select(func.count()).select_from(Item))
    return ItemPage.model_validate(
        {"items": items.all(), "total": total or 0, "limit": limit, "offset": offset}
    )


@app.get("/api/v1/items/{item_id}", response_model=ItemRead)
async def read_item(item_id: int, session: SessionDep) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    return item


@app.post("/api/v1/items", response_model=ItemRead, status_code=status.HTTP_201_CREATED)
async def create_item(data: ItemCreate, session: SessionDep) -> Item:
    item = Item(**data.model_dump())
    session.add(item)
    await session.flush()
    await session.refresh(item)
    return item


@app.patch("/api/v1/items/{item_id}", response_model=ItemRead)
async def update_item(item_id: int, data: ItemUpdate, session: SessionDep) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    await session.flush()
    await session.refresh(item)
    return item


@app.delete("/api/v1/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_item(item_id: int, session: SessionDep) -> None:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    await session.delete(item)
    await session.flush()
