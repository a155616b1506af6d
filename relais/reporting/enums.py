from django.db import models


class Grain(models.IntegerChoices):
    """How finely a roll-up row cuts a month (see ``relais.reporting.models``).

    The statistics read the coarsest grain able to answer a query (``stats.grain_for``): the
    finer the grain, the more rows a year of figures reads.
    """

    FINE = 0, "par lieu, conseiller, commune et type"
    COARSE = 1, "par type (tous lieux)"
    PLACE = 2, "par lieu, commune et type (tous conseillers)"
