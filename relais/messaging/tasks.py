"""The outbox's task: send one message (relais.messaging.outbox.outbox_deliver)."""

from django_tasks import TaskContext, task

from .outbox import outbox_deliver


@task(queue_name="messages", takes_context=True)
def outbox_send(context: TaskContext, message_id: int) -> str:
    # The task's id is the same on every run of this task (a retry after its worker died):
    # that is how a run recognises its own interrupted claim.
    return outbox_deliver(message_id, claim_id=str(context.task_result.id))
