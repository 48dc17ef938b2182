"""factory_boy factories for plain rows. Anything with rules goes through the services."""

import datetime

import factory
from django.contrib.auth import get_user_model

from programs.models import Goal, Indicator, IndicatorTarget, Mission, Objective, Plan
from tracker.models import Government, Official, Profile, Unit


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Government

    name = factory.Sequence(lambda n: f"Pemerintah Kota Contoh {n}")
    kind = Government.Kind.KOTA
    region_code = factory.Sequence(lambda n: f"99.{n:02d}")
    place_name = "Contoh"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    government = factory.SubFactory(GovernmentFactory)
    kind = Unit.Kind.OPD
    opd_type = Unit.OpdType.DINAS
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    abbreviation = factory.Sequence(lambda n: f"DC{n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Pejabat Contoh {n}, S.E.")
    nip = "198609262015051001"
    rank = "Pembina / IV/a"
    position = "Kepala Dinas"
    is_head = False
    start_date = datetime.date(2018, 1, 2)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "cilegon2019")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    government = factory.SubFactory(GovernmentFactory)
    unit = None


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    government = factory.SubFactory(GovernmentFactory)
    name = factory.Sequence(lambda n: f"RPJMD Contoh {n}")
    start_year = 2016
    end_year = 2021
    legal_basis = "Perda Contoh No. 1 Tahun 2016"
    vision = "Visi contoh"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Misi contoh"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    mission = factory.SubFactory(MissionFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    text = "Tujuan contoh"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    goal = factory.SubFactory(GoalFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    text = "Sasaran contoh"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.LazyAttribute(lambda o: o.objective.goal.mission.plan)
    code = factory.Sequence(lambda n: f"IND-{n}")
    name = factory.Sequence(lambda n: f"Indikator contoh {n}")
    unit_of_measure = "persen"


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2018
    target = "50.00"


def smart_city_scheme():
    """The shared Gerakan Menuju 100 Smart City scheme (seeded by programs 0011)."""
    from programs.models import ClassificationScheme

    return ClassificationScheme.objects.get(government=None, name="Gerakan Menuju 100 Smart City")
