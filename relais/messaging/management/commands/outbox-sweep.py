from django.core.management.base import BaseCommand

from relais.messaging.outbox import outbox_sweep


class Command(BaseCommand):
    help = "Remet en file les messages en attente et signale les envois interrompus."

    def handle(self, *args, **options) -> None:
        enqueued, interrupted = outbox_sweep()
        self.stdout.write(
            f"Messages remis en file : {enqueued} ; envois interrompus : {interrupted}."
        )
