"""Factory of the messages sent about a registration (the registration's own factory is with
the workshops', whose sessions it books)."""

import factory

from relais.bookings.enums import MessageChannel, MessageKind
from relais.bookings.models import Message

from ..workshops.factories import RegistrationFactory


class MessageFactory(factory.django.DjangoModelFactory):
    """The confirmation e-mail of a registration, waiting to be sent."""

    class Meta:
        model = Message

    registration = factory.SubFactory(RegistrationFactory)
    channel = MessageChannel.EMAIL
    recipient = factory.SelfAttribute("registration.email")
    kind = MessageKind.CONFIRMATION
    subject = "Votre inscription à l'atelier"
