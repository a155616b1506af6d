"""Factories of the outbox: a message waiting to be sent, and a file attached to it."""

import factory

from relais.messaging.models import OutboxAttachment, OutboxChannel, OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    channel = OutboxChannel.EMAIL
    recipient = factory.Sequence(lambda n: f"destinataire{n}@exemple.test")
    subject = "Votre inscription"
    body = "Bonjour,\nVotre inscription est confirmée."


class OutboxAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxAttachment

    message = factory.SubFactory(OutboxMessageFactory)
    filename = "invitation.ics"
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    mimetype = "text/calendar"
