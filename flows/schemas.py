"""The data contract: one pyarrow schema per published table, in one place.

Every offset (`start`, `end`) in every table is a character offset into
`documents.text` of the row's document, end exclusive, so that
`documents.text[start:end] == <table>.text` holds everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "1.1"  # 1.1: claims.lower/upper(+_closed)

# Stable, human-readable ids (k is 0-based, in order of `start` within the segment):
#   doc_id      the raw file's path under the raw dir, POSIX separators, without ".txt"
#   segment_id  f"{doc_id}#p{paragraph:03d}s{sentence:03d}"  (paragraph, sentence 0-based)
#   mention_id  f"{segment_id}/m{k:02d}"   number_id  f"{segment_id}/n{k:02d}"
#   claim_id    f"{segment_id}/c{k:02d}"
# Claims leave extraction (transforms/claims.py) with these columns; the join to reference
# data (transforms/join.py) adds tolerance, reference_value, reference_source, verdict, reason.
CLAIM_EXTRACTION_COLUMNS = (
    "claim_id",
    "doc_id",
    "segment_id",
    "number_id",
    "start",
    "end",
    "text",
    "subject_id",
    "metric",
    "as_of",
    "value",  # the stated figure, signed; a stated range's midpoint ("下跌2%到4%" → -3.0)
    # A bound or a range ("跌幅超过10%", "至少跌了4%", "2000多") as a signed interval in `unit`,
    # a fall mirrored: 跌幅超过10% → upper -10 (open), lower null; 跌了不到4% → (-4, 0].
    # All four are null for a point claim; a flag is null exactly when its bound is.
    "lower",
    "upper",
    "lower_closed",
    "upper_closed",
    "unit",
    "precision",  # size of the last stated digit, in `unit`: "25%" → 1.0, "3.25%" → 0.01
    "is_approximate",  # the text hedges the figure (近, 约, 多, 超过, 至少 …)
    "date_reason",  # why as_of is null ("document has no published date"), else None
)

# Vocabularies shared by transforms, expectation suites and the README.
VERDICTS = ("supported", "approximate", "contradicted", "unverifiable")
METRICS = (
    "pct_change",  # close-to-close % change of a symbol on a session, e.g. -17.0
    "points_change",  # close-to-close change of an index, in index points
    "market_cap_change",  # USD change of a company's market value on a session
    "net_worth_change",  # USD change of a person's net worth on a day
    "net_worth",  # USD net worth of a person as of a day
    "close",  # closing price or level on a session
    "price_ratio",  # one product's price as a percent of another's
    "cost",  # money spent on a project or a model's training, in a currency
    "count",  # a stated count of things (GPUs, chips, …)
    "duration",  # how long a project or a training run took (unit: year/month/day/hour)
    "age",  # time since a company or product was founded or launched, as of `as_of`
    "year",  # the calendar year of an event (a launch, a founding)
)
NUMBER_KINDS = ("number", "percent", "currency", "range")
NUMBER_ROLES = (
    "quantity",  # an amount: 25%, 480亿美元, 300点, 3000多个
    "identifier",  # a name that contains digits: 401K, 403b, o1, V3, H800, +86, 五G
    "date",  # a calendar date or year: 1月27日, 1957年, 95后
    "ordinal",  # a rank or position: 第一, 第3名
    "idiom",  # digits in a set phrase: 从0到1, 一针见血
)
UNITS = (
    "percent",
    "percentage_point",
    "points",
    "USD",
    "CNY",
    "EUR",
    "JPY",
    "GBP",
    "HKD",
    "count",
    "year",
    "month",
    "day",
    "hour",
    "ratio",
)
ENTITY_TYPES = ("company", "index", "person", "product", "institution", "place", "organization")
REJECT_STAGES = ("ingest",)

# Which columns take their values from which vocabulary (suites and datapackage enums use it).
VOCABULARY_COLUMNS = {
    ("claims", "verdict"): VERDICTS,
    ("claims", "metric"): METRICS,
    ("claims", "unit"): UNITS,
    ("numbers", "kind"): NUMBER_KINDS,
    ("numbers", "role"): NUMBER_ROLES,
    ("numbers", "unit"): UNITS,
    ("mentions", "entity_type"): ENTITY_TYPES,
    ("rejects", "stage"): REJECT_STAGES,
}

_DATE = pa.date32()
_F64 = pa.float64()
_I32 = pa.int32()
_STR = pa.string()


def _schema(*fields: tuple, description: str) -> pa.Schema:
    return pa.schema(
        [pa.field(name, typ, nullable=nullable) for name, typ, nullable in fields],
        metadata={"description": description},
    )


DOCUMENTS = _schema(
    ("doc_id", _STR, False),
    ("path", _STR, False),
    ("sha256", _STR, False),
    ("published", _DATE, True),
    ("language", _STR, True),
    ("source", _STR, True),
    ("encoding", _STR, False),
    ("n_chars", _I32, False),
    ("text", _STR, False),
    description="One row per accepted raw file, with its decoded text and sidecar metadata.",
)

REJECTS = _schema(
    ("path", _STR, False),
    ("stage", _STR, False),
    ("reason", _STR, False),
    ("sha256", _STR, True),
    description="Every raw file that did not make it into documents, and why.",
)

SEGMENTS = _schema(
    ("segment_id", _STR, False),
    ("doc_id", _STR, False),
    ("paragraph", _I32, False),
    ("sentence", _I32, False),
    ("start", _I32, False),
    ("end", _I32, False),
    ("text", _STR, False),
    ("is_quote", pa.bool_(), False),
    ("speaker", _STR, True),
    ("topics", pa.list_(_STR), False),
    description="Sentences with document offsets, quote flag, speaker and topics.",
)

MENTIONS = _schema(
    ("mention_id", _STR, False),
    ("doc_id", _STR, False),
    ("segment_id", _STR, False),
    ("start", _I32, False),
    ("end", _I32, False),
    ("text", _STR, False),
    ("entity_id", _STR, False),
    ("entity_type", _STR, False),
    description="Gazetteer entity mentions resolved to canonical ids (tickers, ^symbols, slugs).",
)

NUMBERS = _schema(
    ("number_id", _STR, False),
    ("doc_id", _STR, False),
    ("segment_id", _STR, False),
    ("start", _I32, False),
    ("end", _I32, False),
    ("text", _STR, False),
    ("kind", _STR, False),
    ("value", _F64, True),
    ("lower", _F64, True),
    ("upper", _F64, True),
    ("lower_closed", pa.bool_(), True),
    ("upper_closed", pa.bool_(), True),
    ("unit", _STR, True),
    ("currency", _STR, True),
    ("decimals", _I32, True),
    ("precision", _F64, True),  # size of the last stated digit, in the unit of `value`
    ("is_approximate", pa.bool_(), False),
    ("role", _STR, False),
    description="Every numeric expression, normalized, with a role: quantity or not.",
)

CLAIMS = _schema(
    ("claim_id", _STR, False),
    ("doc_id", _STR, False),
    ("segment_id", _STR, False),
    ("number_id", _STR, False),
    ("start", _I32, False),
    ("end", _I32, False),
    ("text", _STR, False),
    ("subject_id", _STR, False),
    ("metric", _STR, False),
    ("as_of", _DATE, True),
    ("value", _F64, False),
    ("lower", _F64, True),
    ("upper", _F64, True),
    ("lower_closed", pa.bool_(), True),
    ("upper_closed", pa.bool_(), True),
    ("unit", _STR, False),
    ("tolerance", _F64, False),
    ("reference_value", _F64, True),
    ("reference_source", _STR, True),
    ("verdict", _STR, False),
    ("reason", _STR, False),
    description="Checkable quantitative claims with a verdict and its reason.",
)

MARKET_DAILY = _schema(
    ("symbol", _STR, False),
    ("date", _DATE, False),
    ("open", _F64, True),
    ("high", _F64, True),
    ("low", _F64, True),
    ("close", _F64, False),
    ("volume", pa.int64(), True),
    ("source", _STR, False),
    description="Reference daily bars used by the claims' verdicts, each row with its source.",
)


@dataclass(frozen=True)
class TableSpec:
    """A published table: its name (== file stem == suite name), schema and primary key."""

    name: str
    schema: pa.Schema
    primary_key: tuple[str, ...]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("documents", DOCUMENTS, ("doc_id",)),
        TableSpec("segments", SEGMENTS, ("segment_id",)),
        TableSpec("mentions", MENTIONS, ("mention_id",)),
        TableSpec("numbers", NUMBERS, ("number_id",)),
        TableSpec("claims", CLAIMS, ("claim_id",)),
        TableSpec("market_daily", MARKET_DAILY, ("symbol", "date")),
        TableSpec("rejects", REJECTS, ("path",)),
    )
}
