"""French formatting in templates: ``{% load french %}``, then ``{{ start|heure }}`` (14 h 30),
``{{ day|date_fr }}`` (24 novembre 2026), ``{{ moment|date_heure }}``, ``{{ day|jour }}``
(mardi 24 novembre), ``{{ month|mois_de }}`` (d'octobre 2026), ``{{ place.name|a_lieu }}``
(à la Médiathèque de Prades), ``|de_lieu`` (de la Médiathèque…), ``{{ total|nombre }}``
(12 345), ``{{ day|date_courte }}`` (07/12/2026, in tables), ``{{ moment|date_heure_courte }}``
(07/12/2026 à 14 h 30), ``{{ start|plage:end }}`` (9 h – 12 h 30), ``{{ moment|jour_heure }}``
(mardi 24 novembre à 14 h 30). See ``relais.core.french`` and its convention."""

from django import template

from relais.core import french

register = template.Library()


def _or_empty(function):
    """Nothing for an empty value or one of the wrong type (as Django's ``|date`` does): a
    template never fails on a date."""

    def wrapped(value, *args):
        if value in (None, ""):
            return ""
        try:
            return function(value, *args)
        except (AttributeError, TypeError, ValueError):
            return ""

    wrapped.__name__ = function.__name__
    return wrapped


register.filter("heure", _or_empty(french.french_time))
register.filter("date_fr", _or_empty(french.french_date))
register.filter("date_heure", _or_empty(french.french_datetime))
register.filter("date_courte", _or_empty(french.short_date))
register.filter("date_heure_courte", _or_empty(french.short_datetime))
register.filter("mois", _or_empty(french.month_year))
register.filter("mois_de", _or_empty(french.of_month))
register.filter("a_lieu", _or_empty(french.at_place))
register.filter("de_lieu", _or_empty(french.of_place))
register.filter("nombre", _or_empty(french.number))


@register.filter
def jour(value, with_year=False):
    """« mardi 24 novembre » ; ``|jour:True`` adds the year."""
    return _or_empty(french.french_day)(value, bool(with_year))


@register.filter
def titre_du_role(role):
    """A role's neutral title (« Coordination du Département », « Médiation numérique »)."""
    return french.role_title(role)


@register.filter
def jour_heure(value, with_year=False):
    """« mardi 24 novembre à 14 h 30 » ; ``|jour_heure:True`` adds the year."""
    return _or_empty(french.french_day_time)(value, bool(with_year))


@register.filter
def plage(start, end):
    """``{{ start|plage:end }}`` → « 9 h – 12 h 30 » (datetimes in Paris time)."""
    if end in (None, ""):
        return _or_empty(french.french_time)(start)
    return _or_empty(french.french_time_range)(start, end)
