//! Why each known failing case fails: found by reading the generated crate of each failure
//! (kept under `target/conformance/all/gen/`). A failure without an entry is reported as
//! undiagnosed, and an entry whose cases all pass is reported as stale, so this table follows
//! the generator.

/// What kind of problem a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// The generator does not express a construct (or emits code that does not compile).
    GeneratorGap,
    /// A runtime check decides differently from JSON Schema.
    RuntimeSemantics,
    /// OpenAPI 3.0 and JSON Schema mean different things here.
    OasDifference,
    /// The case tests something that has no meaning for OpenAPI 3.0.
    NotMeaningful,
}

impl Class {
    pub const ALL: [Class; 4] =
        [Class::GeneratorGap, Class::RuntimeSemantics, Class::OasDifference, Class::NotMeaningful];

    pub fn name(self) -> &'static str {
        match self {
            Class::GeneratorGap => "generator gap",
            Class::RuntimeSemantics => "runtime check semantics",
            Class::OasDifference => "OpenAPI 3.0 vs JSON Schema",
            Class::NotMeaningful => "not meaningful for OpenAPI 3.0",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Class::GeneratorGap => "the generator does not express a construct, or emits code that does not compile",
            Class::RuntimeSemantics => "a check in `apigen-runtime` decides differently from JSON Schema",
            Class::OasDifference => "OpenAPI 3.0 and JSON Schema mean different things by the schema",
            Class::NotMeaningful => "the case tests something that has no meaning for OpenAPI 3.0",
        }
    }
}

/// A diagnosis: the class and the cause, in words.
#[derive(Debug, Clone, Copy)]
pub struct Diagnosis {
    pub class: Class,
    pub cause: &'static str,
}

const STRUCT_WITHOUT_TYPE: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "a schema with `properties` (or `required`) but no `type` becomes a struct, which only a JSON object \
            deserializes into; without `type` the schema accepts every non-object (in OpenAPI 3.0 as in JSON Schema), \
            so a non-object is refused at deserialization",
};

const VEC_WITHOUT_TYPE: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "`items` without `type` makes the type a `Vec` (the generator infers `type: array` from `items`); without \
            `type` the schema accepts every non-array, so a non-array is refused at deserialization",
};

const ONE_OF_RESERIALIZED: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "`oneOf` counts matching alternatives on the value re-serialized from the variant that deserialized first; \
            that struct has dropped the properties only the other alternative declares (`foo`), so the second match \
            is not seen and a value matching both alternatives passes",
};

const ALIAS_SKIPS_OWN_RULES: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "`allOf` with one shaping member makes the component an alias of the member's struct, so \
            `from_json::<Alias>` checks only the member's rules; the component's own `additionalProperties` is checked \
            only by the crate's `validate_schema` (which refuses this case). Both also read the merged `allOf` \
            properties as declared and drop undeclared ones unchecked",
};

const BEYOND_I64: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "`type: integer` (without `format`) is `i64`, and serde refuses an integer beyond its range; OpenAPI 3.0 \
            bounds an integer only through `format: int32`/`int64`",
};

const FORMAT_ASSERTED: Diagnosis = Diagnosis {
    class: Class::OasDifference,
    cause: "apigen checks `format` (`date`, `email`, `uuid`, ...) as it does for OpenAPI 3.0, where JSON Schema \
            2020-12 makes `format` an annotation unless a dialect asks for the assertion; a value the format refuses is \
            refused (a deliberate choice: APIs that say `format: uuid` mean it)",
};

const UNEVALUATED_DYNAMIC: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "`unevaluatedProperties` / `unevaluatedItems` beside (or inside a member of) `anyOf`, `oneOf`, `if`, \
            `dependentSchemas` or `contains`: which properties or items are evaluated depends on which subschemas the \
            value satisfies, which apigen does not track at run time; the keyword is not checked, and a warning says so \
            when generating",
};

const NOT_DROPS_UNEVALUATED: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "the `unevaluatedProperties: false` inside the `not` sits beside an `anyOf`, so it is not checked (see the \
            `unevaluatedProperties` entries); the `not` then sees a subschema every value satisfies, and refuses",
};

const TYPE_LIST_WITH_NULL: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "a `type` list of several types and `null` becomes a nullable `anyOf` of one schema per type (3.0's form); \
            the generated union cannot be read from `null`, so `null` is refused when reading",
};

const INTEGER_WITH_FRACTION: Diagnosis = Diagnosis {
    class: Class::GeneratorGap,
    cause: "a bare `type: integer` component is an alias of `i64`, read by serde's own `i64`, which refuses `1.0`; \
            struct fields read it as JSON Schema does (`apigen_runtime::de`), whole values and array items do not",
};

const FORMAT_NOT_CHECKED: Diagnosis = Diagnosis {
    class: Class::NotMeaningful,
    cause: "apigen checks the formats `date`, `date-time`, `time`, `email`, `hostname`, `ipv4`, `ipv6`, `uri` and \
            `uuid`; this one it does not, and, as JSON Schema treats a format it does not know, every string passes",
};

const HOSTNAME_A_LABELS: Diagnosis = Diagnosis {
    class: Class::RuntimeSemantics,
    cause: "the runtime's `hostname` check reads an A-label (`xn--...`) as RFC 1123 letters, digits and hyphens; it \
            does not decode the Punycode to apply IDNA's rules (RFC 5890-5893), which these labels break",
};

const DEPENDENCIES_DRAFT7: Diagnosis = Diagnosis {
    class: Class::NotMeaningful,
    cause: "`dependencies` is draft 7's; 2020-12, and so OpenAPI 3.1, split it into `dependentRequired` and \
            `dependentSchemas` (both checked) and ignore it, as apigen does",
};

/// (file, group description or `*` for every failing group of the file, test description or
/// `*` for every test of the group, diagnosis). The first entry that matches is taken. Draft
/// 2020-12's files are prefixed `draft2020-12/`.
pub const ENTRIES: &[(&str, &str, &str, Diagnosis)] = &[
    (
        "additionalProperties",
        "additionalProperties does not look in applicators",
        "properties defined in allOf are not examined",
        ALIAS_SKIPS_OWN_RULES,
    ),
    ("items", "a schema given for items", "ignores non-arrays", VEC_WITHOUT_TYPE),
    ("items", "a schema given for items", "JavaScript pseudo-array is valid", VEC_WITHOUT_TYPE),
    ("oneOf", "oneOf complex types", "both oneOf valid (complex)", ONE_OF_RESERIALIZED),
    ("oneOf", "oneOf with missing optional property", "both oneOf valid", ONE_OF_RESERIALIZED),
    ("properties", "object properties validation", "ignores arrays", STRUCT_WITHOUT_TYPE),
    ("properties", "object properties validation", "ignores other non-objects", STRUCT_WITHOUT_TYPE),
    (
        "properties",
        "properties whose names are Javascript object property names",
        "ignores arrays",
        STRUCT_WITHOUT_TYPE,
    ),
    (
        "properties",
        "properties whose names are Javascript object property names",
        "ignores other non-objects",
        STRUCT_WITHOUT_TYPE,
    ),
    ("ref", "root pointer ref", "match", STRUCT_WITHOUT_TYPE),
    ("ref", "root pointer ref", "recursive match", STRUCT_WITHOUT_TYPE),
    ("required", "required validation", "*", STRUCT_WITHOUT_TYPE),
    ("optional/bignum", "integer", "*", BEYOND_I64),
    // Draft 2020-12, through OpenAPI 3.1.
    (
        "draft2020-12/additionalProperties",
        "additionalProperties being false does not allow other properties",
        "*",
        STRUCT_WITHOUT_TYPE,
    ),
    (
        "draft2020-12/additionalProperties",
        "additionalProperties does not look in applicators",
        "properties defined in allOf are not examined",
        ALIAS_SKIPS_OWN_RULES,
    ),
    ("draft2020-12/format", "*", "*", FORMAT_ASSERTED),
    ("draft2020-12/items", "a schema given for items", "*", VEC_WITHOUT_TYPE),
    (
        "draft2020-12/not",
        "collect annotations inside a 'not', even if collection is disabled",
        "*",
        NOT_DROPS_UNEVALUATED,
    ),
    ("draft2020-12/oneOf", "oneOf complex types", "both oneOf valid (complex)", ONE_OF_RESERIALIZED),
    ("draft2020-12/oneOf", "oneOf with missing optional property", "both oneOf valid", ONE_OF_RESERIALIZED),
    ("draft2020-12/properties", "object properties validation", "*", STRUCT_WITHOUT_TYPE),
    (
        "draft2020-12/properties",
        "properties whose names are Javascript object property names",
        "*",
        STRUCT_WITHOUT_TYPE,
    ),
    ("draft2020-12/ref", "root pointer ref", "*", STRUCT_WITHOUT_TYPE),
    ("draft2020-12/required", "required validation", "*", STRUCT_WITHOUT_TYPE),
    (
        "draft2020-12/type",
        "integer type matches integers",
        "a float with zero fractional part is an integer",
        INTEGER_WITH_FRACTION,
    ),
    ("draft2020-12/type", "type: array, object or null", "null is valid", TYPE_LIST_WITH_NULL),
    ("draft2020-12/unevaluatedItems", "*", "*", UNEVALUATED_DYNAMIC),
    (
        "draft2020-12/unevaluatedProperties",
        "unevaluatedProperties can't see inside cousins",
        "*",
        ALIAS_SKIPS_OWN_RULES,
    ),
    (
        "draft2020-12/unevaluatedProperties",
        "unevaluatedProperties can't see inside cousins (reverse order)",
        "*",
        ALIAS_SKIPS_OWN_RULES,
    ),
    (
        "draft2020-12/unevaluatedProperties",
        "cousin unevaluatedProperties, true and false, true with properties",
        "*",
        ALIAS_SKIPS_OWN_RULES,
    ),
    ("draft2020-12/unevaluatedProperties", "*", "*", UNEVALUATED_DYNAMIC),
    ("draft2020-12/optional/bignum", "integer", "*", BEYOND_I64),
    ("draft2020-12/optional/float-overflow", "*", "*", BEYOND_I64),
    ("draft2020-12/optional/dependencies-compatibility", "*", "*", DEPENDENCIES_DRAFT7),
    ("draft2020-12/optional/format/hostname", "validation of A-label (punycode) host names", "*", HOSTNAME_A_LABELS),
    ("draft2020-12/optional/format/idn-hostname", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/duration", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/uri-template", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/relative-json-pointer", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/json-pointer", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/uri-reference", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/iri", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/iri-reference", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/idn-email", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/regex", "*", "*", FORMAT_NOT_CHECKED),
    ("draft2020-12/optional/format/ecmascript-regex", "*", "*", FORMAT_NOT_CHECKED),
];

/// The diagnosis of a failing case, by file, group and test description.
pub fn diagnose(file: &str, group: &str, test: &str) -> Option<Diagnosis> {
    ENTRIES
        .iter()
        .find(|(f, g, t, _)| *f == file && (*g == "*" || *g == group) && (*t == "*" || *t == test))
        .map(|(_, _, _, d)| *d)
}
