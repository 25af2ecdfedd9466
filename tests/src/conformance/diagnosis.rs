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
    pub const ALL: [Class; 4] = [Class::GeneratorGap, Class::RuntimeSemantics, Class::OasDifference, Class::NotMeaningful];

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

/// (file, group description, test description or `*` for every test of the group, diagnosis)
pub const ENTRIES: &[(&str, &str, &str, Diagnosis)] = &[
    ("additionalProperties", "additionalProperties does not look in applicators", "properties defined in allOf are not examined", ALIAS_SKIPS_OWN_RULES),
    ("items", "a schema given for items", "ignores non-arrays", VEC_WITHOUT_TYPE),
    ("items", "a schema given for items", "JavaScript pseudo-array is valid", VEC_WITHOUT_TYPE),
    ("oneOf", "oneOf complex types", "both oneOf valid (complex)", ONE_OF_RESERIALIZED),
    ("oneOf", "oneOf with missing optional property", "both oneOf valid", ONE_OF_RESERIALIZED),
    ("properties", "object properties validation", "ignores arrays", STRUCT_WITHOUT_TYPE),
    ("properties", "object properties validation", "ignores other non-objects", STRUCT_WITHOUT_TYPE),
    ("properties", "properties whose names are Javascript object property names", "ignores arrays", STRUCT_WITHOUT_TYPE),
    ("properties", "properties whose names are Javascript object property names", "ignores other non-objects", STRUCT_WITHOUT_TYPE),
    ("ref", "root pointer ref", "match", STRUCT_WITHOUT_TYPE),
    ("ref", "root pointer ref", "recursive match", STRUCT_WITHOUT_TYPE),
    ("required", "required validation", "*", STRUCT_WITHOUT_TYPE),
    ("optional/bignum", "integer", "*", BEYOND_I64),
];

/// The diagnosis of a failing case, by file, group and test description.
pub fn diagnose(file: &str, group: &str, test: &str) -> Option<Diagnosis> {
    ENTRIES.iter().find(|(f, g, t, _)| *f == file && *g == group && (*t == "*" || *t == test)).map(|(_, _, _, d)| *d)
}
