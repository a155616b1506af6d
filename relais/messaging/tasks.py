"""The outbox's tasks: send the due messages (relais.messaging.outbox.outbox_drain)."""

from django_tasks import TaskContext, task

from .outbox import outbox_deliver, outbox_drain


@task(queue_name="messages", takes_context=True)
def outbox_send_due(context: TaskContext) -> int:
    # The task's id is the same on every run of this task (a retry after its worker died):
    # that is how a run recognises its own interrupted claims.
    return outbox_drain(claim_id=str(context.task_result.id))


@task(queue_name="messages", takes_context=True)
def outbox_send(context: TaskContext, message_id: int) -> str:
    # One message: the tasks enqueued before the outbox sent in batches may still be queued.
    return outbox_deliver(message_id, claim_id=str(context.task_result.id))
