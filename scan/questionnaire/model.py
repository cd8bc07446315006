"""Typed questionnaire model: what a valid questionnaire file becomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from scan.questionnaire.links import phone_problem, url_problem
from scan.questionnaire.values import NOT_APPLICABLE, UNKNOWN

KIND_NAMES = "kind_names"  # the key of the registered kind names in the validation context

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _checked(problem: Callable[[str], str | None], kind: str) -> Any:
    """Return a validator that refuses a value with links.py's Dutch reason."""

    def check(value: str) -> str:
        reason = problem(value)
        if reason:
            raise PydanticCustomError(kind, "{reason}", {"reason": reason})
        return value

    return AfterValidator(check)


# A web address people are sent to: https only, with a host (links.url_problem). javascript:,
# data: and plain http: addresses are refused where the file is read, not only by the CSP.
SafeUrl = Annotated[
    str, StringConstraints(strip_whitespace=True), _checked(url_problem, "unsafe_url")
]
# A number the pages dial (tel:, made by links.tel_href): digits, spaces, hyphens, a leading +.
PhoneNumber = Annotated[
    str, StringConstraints(strip_whitespace=True), _checked(phone_problem, "unsafe_phone")
]


def _known_kind(value: Any, info: ValidationInfo) -> str:
    """Accept the name of a registered question kind, refused like any other literal.

    The names come in the validation context (`KIND_NAMES`, filled by the loader from the kind
    registry): the model does not import the kinds, which build on it.
    """
    names = list((info.context or {}).get(KIND_NAMES, ()))
    if isinstance(value, str) and value in names:
        return value
    expected = ", ".join(f"'{n}'" for n in names[:-1]) + f" or '{names[-1]}'"
    raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})


KindName = Annotated[str, PlainValidator(_known_kind)]


class Strict(BaseModel):
    """Base model: unknown keys are errors, instances are immutable."""

    # No NaN or infinity: they break range checks and are not valid JSON in a snapshot.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class Option(Strict):
    """One answer option of a choice question."""

    value: Id
    label: ShortText
    score: Annotated[StrictFloat, Field(ge=0, le=100)] | None = None
    # Choosing this answer means something is happening now: the scan escalates by itself.
    acute: bool = False


class Scale(Strict):
    """The range and labels of a scale question."""

    min: StrictInt
    max: StrictInt
    min_label: ShortText
    max_label: ShortText
    good: Literal["high", "low"] | None = None


class NumberRange(Strict):
    """The allowed range of a number question."""

    min: StrictFloat
    max: StrictFloat
    unit: ShortText | None = None
    # A count of whole things (people, buildings) unless the question measures something:
    # then `whole: false` lets 12,5 through.
    whole: bool = True


class Theme(Strict):
    """A theme: one page of the scan and one score."""

    id: Id
    title: ShortText
    description: Text
    weight: Annotated[StrictFloat, Field(gt=0, le=100)] = 1.0


class Question(Strict):
    """One question, with its options, scoring and visibility."""

    id: Id
    theme: Id
    text: Text
    help: Text
    type: KindName
    options: list[Option] = Field(default_factory=list)
    good_answer: Literal["ja", "nee"] | None = None
    scale: Scale | None = None
    number: NumberRange | None = None
    max_length: Annotated[StrictInt, Field(ge=1, le=10_000)] = 1000
    required: bool = False
    # What the field and the error summary say when a required question is left open, written
    # for this question ("Kies of u ruimte verhuurt."). Without it: the kind's generic words.
    error_message: ShortText | None = None
    show_if: Text | None = None
    weight: Annotated[StrictFloat, Field(gt=0, le=100)] = 1.0
    allow_unknown: bool = True
    allow_not_applicable: bool = False
    # What marks an answer as "this is happening now" (see acute.py): the acute answer of a
    # yes/no question, or the lowest acute answer of a number or scale question.
    acute_when: Literal["ja", "nee"] | None = None
    acute_from: StrictFloat | None = None

    def special_answers(self) -> list[str]:
        """Return the special answer values this question offers."""
        specials = []
        if self.allow_unknown:
            specials.append(UNKNOWN)
        if self.allow_not_applicable:
            specials.append(NOT_APPLICABLE)
        return specials


class Advice(Strict):
    """What a fired rule tells the entrepreneur."""

    title: ShortText
    explanation: Text
    steps: Annotated[list[Text], Field(min_length=1, max_length=8)]


class Rule(Strict):
    """A condition over answers that brings advice, referrals and score effects."""

    id: Id
    when: Text
    theme: Id
    priority: Literal["urgent", "high", "medium", "low"]
    rank: Annotated[StrictInt, Field(ge=1, le=99)] | None = None
    advice: Advice
    referrals: list[Id] = Field(default_factory=list)
    red_flag: bool = False
    # Advice that asks the reader to talk to, question, visit, check on, follow, photograph or
    # make agreements with the people or premises concerned: never shown with a red flag.
    only_when_safe: bool = False
    score_cap: Annotated[StrictFloat, Field(ge=0, le=100)] | None = None


class RiskLevel(Strict):
    """A score range with its label and meaning."""

    id: Id
    label: ShortText
    min: Annotated[StrictFloat, Field(ge=0, le=100)]
    max: Annotated[StrictFloat, Field(ge=0, le=100)]
    explanation: Text


class TodayStep(Strict):
    """One step for today on a red flag: what to do and whom to call (referral ids)."""

    text: ShortText
    call: Annotated[list[Id], Field(min_length=1, max_length=2)]


DEFAULT_TODAY = (
    TodayStep(
        text="Is er nu gevaar voor u of voor iemand anders? Bel 112. Geen gevaar? Bel de politie.",
        call=["noodnummer_112", "politie"],
    ),
    TodayStep(
        text="Vertel wat u zag of meemaakte aan Meld Misdaad Anoniem. U hoeft uw naam niet te "
        "geven.",
        call=["meld_misdaad_anoniem"],
    ),
    TodayStep(
        text="Wordt u onder druk gezet of bedreigd? Bel de Vertrouwenslijn voor advies.",
        call=["vertrouwenslijn_afpersing"],
    ),
)


class RedFlagOutcome(Strict):
    """The outcome a red flag shows instead of a risk level: its meaning and steps for today."""

    label: ShortText = "Direct hulp nodig"
    explanation: Text = (
        "Een van uw antwoorden wijst erop dat er nu iets ernstigs speelt bij u of uw bedrijf. "
        "Zoek vandaag hulp: u staat er niet alleen voor."
    )
    # At most three steps, each with the number to call; shown first, before the don'ts.
    today: Annotated[list[TodayStep], Field(min_length=1, max_length=3)] = Field(
        default_factory=lambda: list(DEFAULT_TODAY)
    )
    avoid: Text = (
        "Ga niet zelf kijken en spreek niemand aan. Praat er niet over met wie erachter kan "
        "zitten. Zo blijft u veilig."
    )


class Expectation(Strict):
    """What an example answer set must lead to."""

    risk_level: Id | None = None
    red_flag: bool | None = None
    overall: tuple[float, float] | None = None
    theme_scores: dict[Id, tuple[float, float] | None] = Field(default_factory=dict)
    fired: list[Id] = Field(default_factory=list)
    not_fired: list[Id] = Field(default_factory=list)


class Example(Strict):
    """An example answer set with its expected outcome."""

    name: ShortText
    description: Text | None = None
    answers: dict[Id, Any]
    expect: Expectation


class Referral(Strict):
    """An organisation to contact, from the shared registry."""

    id: Id
    name: ShortText
    phone: PhoneNumber | None = None
    url: SafeUrl | None = None
    contact: ShortText | None = None
    when: Text
    anonymous: bool = False
    source: Text
    verified_on: dt.date

    @field_validator("verified_on")
    @classmethod
    def _not_in_the_future(cls, value: dt.date) -> dt.date:
        """A referral is checked on a day that has been: a later date claims a check not made."""
        if value > dt.date.today():
            raise PydanticCustomError(
                "date_in_future", "verified_on is a date in the future: {date}", {"date": value}
            )
        return value


class RegistryFile(Strict):
    """The shape of referrals.yaml."""

    referrals: list[Referral]


class Questionnaire(Strict):
    """A complete, validated questionnaire; expressions compiled after validation."""

    id: Id
    version: Annotated[StrictInt, Field(ge=1)]
    title: ShortText
    sector: ShortText
    language: Literal["nl", "en"] = "nl"
    introduction: Text
    duration_minutes: Annotated[StrictInt, Field(ge=1, le=120)]
    listed: bool = True
    themes: Annotated[list[Theme], Field(min_length=1, max_length=10)]
    questions: Annotated[list[Question], Field(min_length=1, max_length=200)]
    rules: list[Rule] = Field(default_factory=list)
    risk_levels: Annotated[list[RiskLevel], Field(min_length=1)]
    red_flag_outcome: RedFlagOutcome = Field(default_factory=RedFlagOutcome)
    referrals: list[Id] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    # Filled by the loader once every check passed.
    _compiled: Any = PrivateAttr(default=None)
    _registry: dict[str, Referral] = PrivateAttr(default_factory=dict)
    _source: str = PrivateAttr(default="")

    @property
    def key(self) -> str:
        """Return 'id@version', the identity a stored scan pins."""
        return f"{self.id}@{self.version}"

    # Read private attributes from pydantic's store directly: `self._compiled` first misses the
    # instance and then takes pydantic's __getattr__, which costs more than scoring a question.
    @property
    def compiled(self) -> Any:
        """Return the compiled expressions and lookup tables (see checks.Compiled)."""
        return self.__pydantic_private__["_compiled"]

    @property
    def registry(self) -> dict[str, Referral]:
        """Return the referral registry this questionnaire was validated against."""
        return self.__pydantic_private__["_registry"]

    @property
    def source(self) -> str:
        """Return the file this questionnaire came from."""
        return self._source

    def question(self, question_id: str) -> Question:
        """Return a question by id."""
        return self.compiled.questions[question_id]

    def theme(self, theme_id: str) -> Theme:
        """Return a theme by id."""
        return self.compiled.themes[theme_id]

    def questions_for(self, theme_id: str) -> list[Question]:
        """Return the questions of one theme, in order."""
        return [q for q in self.questions if q.theme == theme_id]

    def referral(self, referral_id: str) -> Referral:
        """Return a referral from the registry."""
        return self.registry[referral_id]
