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
    EXTERNAL = "external"  # the quote is what the value is about; the value comes from a cited reference


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


class ClaimantKind(Vocabulary):
    """Who asserts a claim."""

    ARTICLE_VOICE = "article_voice"  # the article itself, unattributed
    PERSON = "person"  # a named or described person (claimant_person_id)
    ORGANIZATION = "organization"  # an organization (claimant_organization_id)
    ANONYMOUS_SOURCE = "anonymous_source"  # an unnamed source the article cites ("a White House source")
    REPORTED_CONSENSUS = "reported_consensus"  # an unnamed many or few ("widely regarded", "few anticipate")


class Modality(Vocabulary):
    """How sure, and of what kind, a claim is, as the text words it."""

    ASSERTED = "asserted"  # stated as fact
    EXPECTED = "expected"  # "is expected to", "is anticipated"
    LIKELY = "likely"  # "will likely", "probably"
    PLANNED = "planned"  # "will", "is set to", "plans to": a stated plan or schedule
    POSSIBLE = "possible"  # "could", "possibly"
    HEDGED = "hedged"  # softened or attributed doubt ("regarded as", "seen as")
    DENIED = "denied"  # the claimant says it is not so


class Polarity(Vocabulary):
    AFFIRMED = "affirmed"
    NEGATED = "negated"  # the claim says something does not hold or happen ("few anticipate")


class RelationPredicate(Vocabulary):
    """A typed link between two records; ``PREDICATES`` in tables.py says which tables each joins, and which are
    symmetric (stored once) or acyclic (never form a cycle)."""

    PROTEGE_OF = "protege_of"  # person -> person (mentor)
    RAPPORT_WITH = "rapport_with"  # person <-> person: a close personal relationship
    MEMBER_OF = "member_of"  # person or organization -> organization
    LEADER_OF = "leader_of"  # person -> organization
    COALITION_PARTNER_OF = "coalition_partner_of"  # organization <-> organization
    ALLIED_WITH = "allied_with"  # organization <-> organization: a standing alliance
    RIVAL_OF = "rival_of"  # organization <-> organization
    OPERATOR_OF = "operator_of"  # organization -> location (a base, a vessel, an aircraft)
    PART_OF = "part_of"  # meeting -> meeting, commitment -> commitment
    FOLLOWS = "follows"  # meeting -> meeting: takes place after it, as the text orders them
    BASED_ON = "based_on"  # commitment or meeting -> commitment or meeting: done under it
    IN_CONTEXT_OF = "in_context_of"  # any record -> any record: the text presents one against the other
    LOCATED_IN = "located_in"  # location -> location, where the location tree cannot hold it (a vessel at a base)
    DIRECTION_FROM = "direction_from"  # location -> location: lies in a stated direction from it (bearing says which)
    STANDS_FOR = "stands_for"  # location -> organization: the text names the place for the actor ("Washington's calls")


class Bearing(Vocabulary):
    """A compass direction, as the text names it ("southwest of Tokyo")."""

    NORTH = "north"
    NORTHEAST = "northeast"
    EAST = "east"
    SOUTHEAST = "southeast"
    SOUTH = "south"
    SOUTHWEST = "southwest"
    WEST = "west"
    NORTHWEST = "northwest"


class ComparisonKind(Vocabulary):
    """How two articles differ on a point."""

    CONTRADICTION = "contradiction"  # both cannot be true
    SPECIFICITY = "specificity"  # one is more precise than the other
    FRAMING = "framing"  # the same facts presented with a different emphasis or tone
    OMISSION = "omission"  # one reports what the other leaves out
    TIMING = "timing"  # written at a different time, so the same event has a different status
    TERMINOLOGY = "terminology"  # the same thing named differently


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
