"""The signed-in customer corrects a transaction's category
(``PUT /v1/conversations/{id}/transactions/{transaction_id}/category``).

The correction sticks for the merchant: every transaction of the customer with the same
statement description moves to the category, and so do later ones (``bank.categories``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict

from bank.categories import CategoryStore
from bank.enums import Category
from bank.errors import NotACategory, ProfileStoreError, UnknownCustomer, UnknownTransaction
from service.api.deps import SignedInCustomer
from service.api.store_calls import call_store
from service.schemas import ErrorResponse

router = APIRouter(prefix="/v1/conversations", tags=["transactions"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (401, 404, 422)}
STATUS: dict[type[ProfileStoreError], int] = {
    UnknownTransaction: 404, UnknownCustomer: 404, NotACategory: 422,
}
Id = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category


class CategoryOut(BaseModel):
    description: str
    category: Category
    transactions: int


def get_categories(request: Request) -> CategoryStore:
    return CategoryStore(request.app.state.sessions)


@router.put("/{conversation_id}/transactions/{transaction_id}/category", response_model=CategoryOut,
            responses=ERRORS)
async def correct_category(
    transaction_id: Id, body: CategoryIn, caller: SignedInCustomer,
    categories: Annotated[CategoryStore, Depends(get_categories)],
) -> CategoryOut:
    """Put a transaction, and the merchant's other transactions, in another category."""
    done = await call_store(STATUS, categories.correct, caller.customer_id, transaction_id, body.category)
    return CategoryOut(description=done.description, category=done.category, transactions=done.transactions)
