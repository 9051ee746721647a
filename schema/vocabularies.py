"""Closed vocabularies: every enum a field may take, declared once."""

from enum import Enum


class Vocabulary(str, Enum):
    """A closed vocabulary; members' values are what the data holds."""

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


class DatePrecision(Vocabulary):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateBasis(Vocabulary):
    """How a date is known."""

    STATED = "stated"  # the text gives the date at this precision
    INFERRED = "inferred"  # derived from the text (a relative expression plus the publication date)
    EXTERNAL = "external"  # not in either article; the note names where it comes from


class ValueBasis(Vocabulary):
    """How a value relates to the text that supports it."""

    STATED = "stated"  # the quote states the value as it is recorded
    NORMALIZED = "normalized"  # recoded from the quote (an ISO code, a number from words)
    INFERRED = "inferred"  # concluded from the quote and its context; the note says how


class LocationKind(Vocabulary):
    CONTINENT = "continent"
    REGION = "region"
    COUNTRY = "country"
    CITY = "city"
    LOCALITY = "locality"  # a named place whose kind the text does not give
    VENUE = "venue"
    MILITARY_BASE = "military_base"
    SEA = "sea"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class OrganizationKind(Vocabulary):
    POLITICAL_PARTY = "political_party"
    PARLIAMENT = "parliament"
    PARLIAMENTARY_CHAMBER = "parliamentary_chamber"
    INTERGOVERNMENTAL_ORGANIZATION = "intergovernmental_organization"
    INTERGOVERNMENTAL_FORUM = "intergovernmental_forum"
    GOVERNMENT = "government"
    GOVERNMENT_OFFICE = "government_office"
    ARMED_FORCES = "armed_forces"
    NEWS_AGENCY = "news_agency"


class MeetingKind(Vocabulary):
    SUMMIT = "summit"
    TALKS = "talks"
    AUDIENCE = "audience"
    PHONE_CALL = "phone_call"
    MULTILATERAL_SUMMIT = "multilateral_summit"
    VISIT = "visit"
    TOUR = "tour"
    SPEECH = "speech"
    PRESS_REMARKS = "press_remarks"
    ELECTION = "election"
    ASSUMPTION_OF_OFFICE = "assumption_of_office"
    ASSASSINATION = "assassination"
    POLICY_DECISION = "policy_decision"
    AGREEMENT_CONCLUDED = "agreement_concluded"


class MeetingStatus(Vocabulary):
    HELD = "held"  # took place, as reported, around the article's date
    IN_PROGRESS = "in_progress"  # under way when the article was written
    SCHEDULED = "scheduled"  # planned, with the article stating it will happen
    EXPECTED = "expected"  # anticipated, but not stated as planned
    HISTORICAL = "historical"  # a past event the article recalls as background


class ParticipantRole(Vocabulary):
    HOST = "host"
    GUEST = "guest"
    PARTICIPANT = "participant"
    MEDIATOR = "mediator"
    SPEAKER = "speaker"
    AUDIENCE = "audience"
    SUBJECT = "subject"


class CommitmentKind(Vocabulary):
    PLEDGE = "pledge"  # a party binds itself
    AGREEMENT = "agreement"  # two or more parties bind each other
    DEMAND = "demand"  # a party asks another to act
    EXPECTATION = "expectation"  # others anticipate a party will act
    PLAN = "plan"  # a party's stated intention, not framed as a pledge


class CommitmentStatus(Vocabulary):
    ANTICIPATED = "anticipated"  # not yet made; the article expects it
    MADE = "made"  # made; its outcome is open
    IN_PROGRESS = "in_progress"  # being carried out, as the article states
    CONCLUDED = "concluded"  # an agreement reached or struck
    FULFILLED = "fulfilled"


class Topic(Vocabulary):
    DEFENSE_SPENDING = "defense_spending"
    SECURITY_ALLIANCE = "security_alliance"
    SECURITY_STRATEGY = "security_strategy"
    MILITARY_CAPABILITY = "military_capability"
    HOST_NATION_SUPPORT = "host_nation_support"
    TRADE = "trade"
    TARIFFS = "tariffs"
    INVESTMENT = "investment"
    PURCHASES = "purchases"
    CEASEFIRE = "ceasefire"
    DIPLOMACY = "diplomacy"


class FigureUnit(Vocabulary):
    PERCENT = "percent"
    PERCENT_OF_GDP = "percent_of_gdp"
    CURRENCY = "currency"  # a money amount; the currency field names which
    COUNT = "count"
    YEARS = "years"


class Scale(Vocabulary):
    ONE = "one"
    THOUSAND = "thousand"
    MILLION = "million"
    BILLION = "billion"
    TRILLION = "trillion"


class RoleStatus(Vocabulary):
    """When a role is held, relative to the article's date, as the article states it."""

    CURRENT = "current"
    FORMER = "former"
    FUTURE = "future"


class PublisherBasis(Vocabulary):
    STATED = "stated"
    UNKNOWN = "unknown"
