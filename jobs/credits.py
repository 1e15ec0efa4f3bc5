"""Each user's credits: a job reserves its cost when queued, and is settled on success or
refunded on failure or cancel, exactly once.

Exactly once holds twice over: the callers move the job's state with a conditional UPDATE and
only the winner calls `settle`/`refund`, and the ledger has a unique (job, kind) constraint.
Every function here runs inside the caller's transaction.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F

from jobs.choices import LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry


class NotEnoughCredits(Exception):
    def __init__(self, cost: int, balance: int) -> None:
        super().__init__(f"This generation costs {cost} credits; your balance is {balance}.")
        self.cost = cost
        self.balance = balance


def account_of(user, *, lock: bool = False) -> CreditAccount:
    """The user's account, opened with the starting grant the first time."""
    accounts = CreditAccount.objects.select_for_update() if lock else CreditAccount.objects
    account = accounts.filter(user=user).first()
    if account is not None:
        return account
    with transaction.atomic():
        account, created = CreditAccount.objects.get_or_create(
            user=user, defaults={"balance": settings.CREDITS_STARTING_BALANCE}
        )
        if created:
            LedgerEntry.objects.create(
                account=account,
                kind=LedgerKind.GRANT,
                amount=settings.CREDITS_STARTING_BALANCE,
                note="Starting balance",
            )
    return accounts.get(pk=account.pk) if lock else account


def balance_of(user) -> int:
    return account_of(user).balance


def reserve(account: CreditAccount, job: GenerationJob) -> None:
    """Take the job's cost from the (locked) account, or raise `NotEnoughCredits`."""
    if job.cost == 0:
        return
    taken = CreditAccount.objects.filter(pk=account.pk, balance__gte=job.cost).update(
        balance=F("balance") - job.cost
    )
    if taken != 1:
        raise NotEnoughCredits(job.cost, account.balance)
    LedgerEntry.objects.create(account=account, job=job, kind=LedgerKind.RESERVE, amount=-job.cost)


def settle(job: GenerationJob) -> None:
    """Mark the reservation as spent (the job succeeded): a zero-amount entry for the record."""
    if job.cost == 0:
        return
    account = CreditAccount.objects.get(user_id=job.created_by_id)
    LedgerEntry.objects.create(
        account=account, job=job, kind=LedgerKind.SETTLE, amount=0, note="Take delivered"
    )


def refund(job: GenerationJob, note: str = "") -> None:
    """Give the reserved cost back (the job failed or was canceled)."""
    if job.cost == 0:
        return
    account = CreditAccount.objects.get(user_id=job.created_by_id)
    CreditAccount.objects.filter(pk=account.pk).update(balance=F("balance") + job.cost)
    LedgerEntry.objects.create(
        account=account, job=job, kind=LedgerKind.REFUND, amount=job.cost, note=note[:200]
    )


def grant(user, amount: int, note: str) -> None:
    """Add credits (an administrator's top-up)."""
    with transaction.atomic():
        account = account_of(user, lock=True)
        CreditAccount.objects.filter(pk=account.pk).update(balance=F("balance") + amount)
        LedgerEntry.objects.create(account=account, kind=LedgerKind.GRANT, amount=amount, note=note)
