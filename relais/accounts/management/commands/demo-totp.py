import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.demo import DEMO_TOTP_DEVICE_NAME


class Command(BaseCommand):
    help = (
        "Affiche le code de double authentification courant des comptes de démonstration "
        "(uniquement ceux créés par « relais demo »)."
    )

    def handle(self, *args, **options):
        devices = TOTPDevice.objects.filter(name=DEMO_TOTP_DEVICE_NAME).select_related("user")
        if not devices:
            self.stdout.write("Aucun compte de démonstration : lancez d'abord « relais demo ».")
            return
        for device in devices.order_by("user__email"):
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            totp.time = time.time()
            remaining = device.step - int(totp.time - device.t0) % device.step
            self.stdout.write(
                f"{device.user.email:<40} {totp.token():0{device.digits}d}  "
                f"(valable encore {remaining} s)"
            )
