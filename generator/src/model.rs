//! Model: the plain-data description of what a generated crate contains.
//!
//! Lowering fills it from the spec; emitting turns it into tokens. It knows neither
//! `openapiv3` nor `quote`. Types live in an arena ([`ApiModel::types`]) indexed by
//! [`TypeId`], so references between types (including cycles) are plain indices. Every node
//! keeps the JSON Pointer it came from, for doc comments and diagnostics.
//!
//! Nullability (`nullable: true`, or `null` among 3.1's `type`s) is said in three places, one
//! for each reader, all from the same schema keyword:
//!
//! - [`TypeRef::Nullable`] is the source of truth for the Rust type: the emitters write it as
//!   `Option`. Lowering wraps every reference to a named type whose schema is nullable (a
//!   struct, an enum, a union), and an alias's target where the alias's schema is.
//! - [`TypeDef::nullable`] records the first case on the type itself, derived from the same
//!   set as those wrappers: a reader that starts from a type rather than a reference to it
//!   (`apigen validate`, which interprets a value against a named type) needs it there.
//! - [`Rules::nullable`] is JSON Schema's view, for checks of a JSON value: a `type` check
//!   lets `null` through. It is the schema's own keyword, which the typed checks never read
//!   (an `Option` already says it).
//!
//! It is one file, though long: the model is one cohesive set of plain data types (the crate,
//! its operations, its types, their rules, and the small enums of the spec's words: [`Method`],
//! [`Additional`], [`JsonType`], [`Format`]), the contract between lowering and emitting, read
//! top to bottom. Its few methods are walks over that data; split up, every reader would open
//! several files to see one set of definitions.

use std::collections::{BTreeMap, BTreeSet};

/// A format the runtime checks (`email`, `date`, ...): the runtime's own enum, so that the
/// generator names only formats it has a check for.
pub use apigen_runtime::format::Format as CheckedFormat;

/// Everything one generated crate is made from.
#[derive(Debug, Clone)]
pub struct ApiModel {
    /// The crate's package name (`pelcro`).
    pub crate_name: String,
    /// The crate version: the spec's `info.version` when it is valid semver.
    pub crate_version: String,
    /// The spec's `info.title` and `info.description`, for the crate docs.
    pub title: String,
    pub description: Option<String>,
    /// The spec file the crate was generated from, as given to the generator.
    pub source_name: String,
    /// Where the generated crate finds `apigen-runtime`.
    pub runtime: crate::Runtime,
    /// Named types, in the order they are emitted.
    pub types: Vec<TypeDef>,
    /// `#/components/schemas`, by their keys in the spec, in the spec's order.
    pub schemas: Vec<(String, TypeRef)>,
    /// Every operation, in the spec's order.
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The first server's URL with its variables' defaults, when it is absolute.
    pub default_base_url: Option<String>,
    /// Every body under an XML media type (`application/xml`, `text/xml`, `+xml`), request
    /// bodies and responses, in the spec's order.
    pub xml_bodies: Vec<XmlBody>,
    /// Types replaced by existing Rust types (an alias of the path given), by type name.
    pub replaced: BTreeMap<String, String>,
    /// Extra derives (paths) by type name, the configuration's for all types and its own.
    pub derives: BTreeMap<String, Vec<String>>,
    /// The crate's cargo features that each compile one group of operations and the types
    /// they use (see `lower::groups`), in name order, then that of the component schemas no
    /// operation uses where there are some; empty where the crate is one group.
    pub features: Vec<Feature>,
}

/// A cargo feature of the generated crate: one group of operations (a tag, or a first path
/// segment), with the types that no other group and nothing outside the groups uses; or the
/// component schemas that no operation uses ([`GroupedBy::NoOperation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml` (`payment_intents`), never one the crate's other
    /// features use.
    pub name: String,
    /// What the operations have in common, as the spec writes it: their first tag, or
    /// their first path segment.
    pub labels: Vec<String>,
    pub by: GroupedBy,
    /// How many operations, and how many types of their own, the feature compiles.
    pub operations: usize,
    pub types: usize,
}

/// What a spec's operations are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupedBy {
    /// Their first tag.
    Tag,
    /// The first segment of their path that is neither a version (`v1`, `2010-04-01`) nor a
    /// parameter, for a spec whose tags make fewer than two groups.
    PathSegment,
    /// Not a group of operations: the component schemas no operation uses (webhook payloads,
    /// for one) and what only they use.
    NoOperation,
}

/// Which of the crate's cargo features compile an item (see `lower::groups`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gate {
    /// Compiled whatever the features.
    #[default]
    Always,
    /// Compiled when any of these features is on; never empty.
    AnyOf(BTreeSet<String>),
}

impl Gate {
    /// Compiled with `feature` alone.
    pub fn feature(feature: &str) -> Self {
        Gate::AnyOf(BTreeSet::from([feature.to_owned()]))
    }

    /// Behind `feature` where there is one, else always compiled.
    pub fn of(feature: Option<&str>) -> Self {
        feature.map_or(Gate::Always, Gate::feature)
    }

    /// Widens the gate to compile the item wherever `other`'s item is too: the gate of
    /// something several items use (a pattern's static).
    pub fn widen(&mut self, other: &Gate) {
        match (&mut *self, other) {
            (Gate::Always, _) => {}
            (_, Gate::Always) => *self = Gate::Always,
            (Gate::AnyOf(mine), Gate::AnyOf(theirs)) => mine.extend(theirs.iter().cloned()),
        }
    }

    /// Whether `feature` alone compiles the item, and nothing else does.
    pub fn is_only(&self, feature: &str) -> bool {
        matches!(self, Gate::AnyOf(set) if set.len() == 1 && set.contains(feature))
    }
}

/// A request or response body under an XML media type.
#[derive(Debug, Clone)]
pub struct XmlBody {
    pub media_type: String,
    /// JSON Pointer of the media type's schema.
    pub pointer: String,
    pub ty: TypeRef,
}

/// How a value reads from and writes as XML: an OpenAPI XML Object (`xml`), as lowering
/// resolved it (the use site's object merged with those of the schemas it refers to, each
/// key from the first that sets it, and the default name filled in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Xml {
    /// The element's or attribute's local name.
    pub name: String,
    pub namespace: Option<String>,
    pub prefix: Option<String>,
    /// An attribute of the enclosing element rather than an element (scalars only).
    pub attribute: bool,
    /// For an array: the items are inside a wrapper element named [`Xml::name`].
    pub wrapped: bool,
}

/// An operation of the API.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId`, or `METHOD /path` where the spec gives none.
    pub id: String,
    /// The client method's name (`create_customer`), unique in the client.
    pub method_name: String,
    /// Stem of the operation's own type names (`CreateCustomer` -> `CreateCustomerResponse`).
    pub type_stem: String,
    /// The response enum's and the options struct's names, claimed in the same namespace as
    /// the schema types, so that neither can shadow a schema named the same.
    pub response_type: String,
    pub options_type: String,
    pub method: Method,
    /// The path as the spec writes it (`/things/{id}`), for docs.
    pub path: String,
    /// The path, parsed once: what the client sends.
    pub template: Vec<PathPart>,
    pub pointer: String,
    pub doc: Doc,
    /// Path-level and operation-level parameters; the operation's win on a name clash.
    pub parameters: Vec<Parameter>,
    /// The request body's JSON media type and type, if it has one.
    pub json_body: Option<Body>,
    /// The body may also be sent as XML (an XML media type beside the JSON one).
    pub xml_body: bool,
    /// The method that sends the body as XML (`create_customer_xml`), where the JSON body's
    /// type has an XML form; claimed with the client's other method names.
    pub xml_method_name: Option<String>,
    /// The name of the method that hands the response over unread (`<name>_download`), where
    /// a response is bytes (a file, an image); claimed with the other names.
    pub download_method_name: Option<String>,
    /// `multipart/form-data` and `application/x-www-form-urlencoded` forms of the body, each
    /// sent by a method of its own.
    pub form_bodies: Vec<FormBody>,
    pub body_required: bool,
    /// Every documented response, most specific first: explicit codes, then ranges (`4XX`),
    /// then `default`, each group in the spec's order. OpenAPI gives an explicit code
    /// precedence over a range, so a client matches them in this order.
    pub responses: Vec<ResponseCase>,
    /// Names of the security schemes the operation may use (any that has a credential set is
    /// sent).
    pub security: Vec<String>,
    /// The operation's security requirements as the spec states them (the operation's own, or
    /// else the root's): alternatives, any one of which suffices, each the keys of schemes that
    /// are all needed together. An empty alternative lets a request in with no credential, and
    /// no alternatives at all (`security: []`, or none stated) means none is asked for. The
    /// mock checks requests by this; the client only needs [`Self::security`].
    pub security_requirements: Vec<Vec<String>>,
    /// A success response that is a stream of events, read by a method of its own.
    pub stream: Option<StreamResponse>,
    /// The names of the operation's items in the mock module (`mock` feature): its types claimed
    /// with the schema types, its handler's registration among the mock server's methods.
    pub mock: MockNames,
    /// The operation's tags, in the spec's order.
    pub tags: Vec<String>,
    /// The cargo feature that compiles the operation's client method and its response and
    /// options types; `None` where it is always compiled.
    pub feature: Option<String>,
}

/// What an operation is called in the generated mock: the struct its handler receives, the
/// enum of its body's forms, and the method that registers its handler.
#[derive(Debug, Clone, Default)]
pub struct MockNames {
    /// The parsed request (`CreateCustomerCall`).
    pub call: String,
    /// The body, where it comes in forms of different types (`CreateCustomerBody`).
    pub body: String,
    /// The server's method that registers a handler (`on_create_customer`).
    pub handler: String,
}

/// A success response under a streaming media type: `text/event-stream`, or JSON Lines
/// (`application/jsonl`, `application/x-ndjson`, `application/json-seq`).
#[derive(Debug, Clone)]
pub struct StreamResponse {
    /// The method that returns the stream (`create_completion_stream`).
    pub method_name: String,
    pub media_type: String,
    /// The type of each event's data (each line's value): the media type's schema. `None`
    /// where the spec gives none, or a string (the data is then kept as sent).
    pub item: Option<TypeRef>,
    /// JSON Pointer of the media type.
    pub pointer: String,
}

impl StreamResponse {
    /// Server-sent events, rather than JSON Lines.
    pub fn is_event_stream(&self) -> bool {
        crate::media::is_event_stream(&self.media_type)
    }
}

/// A piece of a path template: text sent as it is, or a path parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// The wire name of a path parameter of the operation (each placeholder has one: lowering
    /// gives a placeholder that the spec does not declare a parameter of its own).
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// A request body sent as a form, or as bytes: by its own client method (`create_customer_multipart`, or
/// the operation's plain method name where the body has no JSON form).
#[derive(Debug, Clone)]
pub struct FormBody {
    pub kind: FormKind,
    pub method_name: String,
    /// The body's type: a struct (or an alias of one).
    pub ty: TypeRef,
    /// JSON Pointer of the media type.
    pub pointer: String,
    /// The media type's `encoding`, by property wire name.
    pub encoding: Vec<(String, PartEncoding)>,
    /// The media types it is sent as: one for a form; for bytes, every media type the body
    /// may have (the first concrete one is the default `Content-Type`).
    pub media_types: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// `multipart/form-data`: each property a part; binary properties are files.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    UrlEncoded,
    /// Any other media type (an image, `application/octet-stream`, text): the body is bytes,
    /// an `apigen_runtime::Binary`.
    Raw,
}

/// An Encoding Object: how one property of a form is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartEncoding {
    /// `contentType`, split at commas: the content types a multipart part may have (the first
    /// is used when the value gives none).
    pub content_types: Vec<String>,
    /// `style` and `explode`, for a form-urlencoded property.
    pub style: Style,
    pub explode: bool,
}

/// How a parameter (or a form property) is serialized: OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Path and header parameters.
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire_name: String,
    /// The argument or options field name, unique within the method.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    /// `explode` for arrays in a query (`form` style): repeated `name=value` pairs, or one
    /// comma-separated value.
    pub explode: bool,
    pub style: Style,
    /// Rules of the parameter's schema, checked before the request is sent.
    pub rules: Rules,
    pub doc: Doc,
    /// For an optional parameter: its setter on the options struct (`with_limit`), claimed
    /// among that struct's methods.
    pub setter: Option<String>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct ResponseCase {
    pub status: Status,
    /// The variant of the operation's response enum (`Created`, `TooManyRequests`).
    pub variant: String,
    /// The JSON body's type, if the response documents one; else the XML body's.
    pub body: Option<TypeRef>,
    /// The response is documented only as XML: it is read as XML unless it says it is JSON.
    pub xml_only: bool,
    /// The response may be bytes (`application/octet-stream`, an image): the operation gets
    /// a method that streams the body instead of reading it whole.
    pub binary: bool,
    /// The spec's example of the JSON body (the media type's `example`, its first `examples`
    /// entry, or the schema's own `example`), which the mock answers with.
    pub example: Option<serde_json::Value>,
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// `4XX`: any status from 400 to 499.
    Range(u16),
    Default,
}

/// A way of authenticating, from `components/securitySchemes`.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key in `securitySchemes`.
    pub key: String,
    /// The client's field holding the credential (`bearer_auth`), unique among its fields.
    pub rust_name: String,
    /// The client's method setting it (`with_bearer_auth`), unique among its methods.
    pub setter: String,
    pub kind: SecurityKind,
    pub doc: Doc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`; the credential is `user:password`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in the query.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

#[derive(Debug, Clone)]
pub struct Body {
    pub media_type: String,
    pub ty: TypeRef,
}

/// Index of a type in [`ApiModel::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named type: a struct, an enum or an alias.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeDef {
    /// The Rust identifier, unique in the crate.
    pub name: String,
    pub doc: Doc,
    pub kind: TypeKind,
    /// Rules of the schema that the type itself does not enforce: for a struct, those of the
    /// object as a whole (conditionals, property counts); for an alias, all of them; for a
    /// union, `oneOf` / `anyOf` over every alternative.
    pub rules: Rules,
    /// Whether the type's schema says `nullable: true`: then every reference to the type is a
    /// [`TypeRef::Nullable`] (see the module docs).
    pub nullable: bool,
    /// The type's root element, for a type used (directly or inside another) under an XML
    /// media type; `None` for a type that has no XML form.
    pub xml: Option<Xml>,
    /// For a union with an OpenAPI `discriminator` that lowering could honour: the property
    /// whose value names the variant. Every variant is then a struct with that property and
    /// lists its values in [`UnionVariant::tags`].
    pub discriminator: Option<String>,
    /// For a string enum, and a union that has no variant holding any JSON: the name of the
    /// variant that keeps a value the spec does not list (an enum value or an alternative added
    /// to the API since), so that one new value does not fail a whole response. Validation
    /// refuses it.
    pub unknown: Option<String>,
    /// The cargo features that compile the type (and its validator, XML form and value
    /// generators): those of the groups of operations that use it.
    pub gate: Gate,
}

/// Documentation of an item: its text, and where in the spec it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Doc {
    pub title: Option<String>,
    pub description: Option<String>,
    /// JSON Pointer of the schema (`#/components/schemas/Customer`).
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A closed set of strings, each variant with its exact wire value.
    StringEnum(Vec<EnumVariant<String>>),
    /// A closed set of integers.
    IntegerEnum(Vec<EnumVariant<i64>>),
    /// `oneOf` / `anyOf` over differently shaped values: the first variant (in declaration
    /// order) that the value deserializes into wins, so variants are declared most specific
    /// first. With a [`TypeDef::discriminator`], the discriminator property's value decides
    /// instead.
    Union(Vec<UnionVariant>),
    /// A name for another type (`pub type CustomerId = String;`).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties: false`: unknown fields are refused.
    pub deny_unknown_fields: bool,
    /// `additionalProperties: true` or a schema: unknown fields are kept in a map whose values
    /// have this type, under the field name given.
    pub additional: Option<(String, TypeRef)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    /// Listed in the schema's `required`. A field that is not required is an `Option`, `None`
    /// when absent; where its type is [`TypeRef::Nullable`] too, that is `Option<Option<T>>`,
    /// `Some(None)` being an explicit `null`.
    pub required: bool,
    pub doc: Doc,
    /// Rules of the property's schema.
    pub rules: Rules,
    /// The value is a secret (`x-sensitive: true`, `format: password` or `writeOnly: true`):
    /// `Debug` shows it as redacted.
    pub sensitive: bool,
    /// The property's element or attribute (the wrapper, for a wrapped array), in a type
    /// with an XML form.
    pub xml: Option<Xml>,
    /// For an array in a type with an XML form: the element of each item.
    pub xml_items: Option<Xml>,
    /// For a field that is not required: its chainable setter (`with_email`), claimed among
    /// the struct's methods, so that it can collide neither with `new` nor with another.
    pub setter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant<T> {
    pub rust_name: String,
    pub value: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub doc: Doc,
    /// Rules of the alternative's schema.
    pub rules: Rules,
    /// The discriminator values that select this variant (explicit `mapping` keys, or the
    /// schema's name); empty in a union without a discriminator.
    pub tags: Vec<String>,
}

/// What a schema requires of a value, as data: JSON Schema's validation keywords. Emitting
/// turns it into checks against the Rust type at hand, skipping what the type already
/// guarantees (a `String` is always a string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rules {
    /// The schema is a named type (`$ref`, or an inline schema hoisted into one): the value
    /// must be valid as that type.
    pub reference: Option<TypeId>,
    /// `type` (one, as OpenAPI 3.0 has it; loading translates 3.1's lists), with `nullable`
    /// allowing `null` too. A name that is no JSON type is an error of lowering's, and no rule.
    pub types: Option<JsonType>,
    /// The schema's `nullable`, for the check of `type` on a JSON value (see the module docs).
    pub nullable: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// The pattern as the `regex` crate reads it (ECMA-262's ASCII `\d` and `\w` spelled out).
    pub pattern: Option<String>,
    /// A format the runtime checks (`email`, `date`, ...); other formats are not checked.
    pub format: Option<CheckedFormat>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<serde_json::Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub items: Option<Box<Rules>>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub required: Vec<String>,
    pub properties: Vec<(String, Rules)>,
    /// `additionalProperties`: what the properties neither named in `properties` nor matched
    /// by `patternProperties` must be.
    pub additional: Additional,
    pub enumeration: Option<Vec<serde_json::Value>>,
    pub all_of: Vec<Rules>,
    pub any_of: Vec<Rules>,
    pub one_of: Vec<Rules>,
    pub not: Option<Box<Rules>>,
    /// JSON Schema 2020-12's `prefixItems`: the rules of the first items, one each. `items`
    /// then applies to the items after them only.
    pub prefix_items: Vec<Rules>,
    /// `contains`, with `minContains` / `maxContains`.
    pub contains: Option<Box<Contains>>,
    /// `dependentRequired`: when the property is present, each name listed must be too.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// `dependentSchemas`: when the property is present, the whole value must satisfy the rules.
    pub dependent_schemas: Vec<(String, Rules)>,
    /// `if` / `then` / `else`.
    pub conditional: Option<Box<Conditional>>,
    /// `patternProperties`: each property whose name matches the pattern (translated as
    /// [`Rules::pattern`] is) satisfies the rules; `additional` then applies only to the
    /// properties neither named in `properties` nor matched here.
    pub pattern_properties: Vec<(String, Rules)>,
    /// `propertyNames`: every property name, as a JSON string, satisfies the rules.
    pub property_names: Option<Box<Rules>>,
    /// `unevaluatedProperties`, where lowering could decide statically which properties the
    /// schema's other keywords evaluate.
    pub unevaluated_properties: Option<Box<UnevaluatedProperties>>,
    /// `unevaluatedItems`, likewise.
    pub unevaluated_items: Option<Box<UnevaluatedItems>>,
}

/// `additionalProperties` as a rule: absent (or `true`) allows any other property, `false`
/// refuses every one, a schema checks each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Additional {
    #[default]
    Any,
    Refused,
    Schema(Box<Rules>),
}

impl Additional {
    /// Whether the keyword says anything (the other properties are refused or checked).
    pub fn is_set(&self) -> bool {
        !matches!(self, Additional::Any)
    }

    /// The rules each other property must satisfy, where a schema gives them.
    pub fn schema(&self) -> Option<&Rules> {
        match self {
            Additional::Schema(rules) => Some(rules),
            Additional::Any | Additional::Refused => None,
        }
    }

    /// [`Additional::schema`], mutably.
    pub fn schema_mut(&mut self) -> Option<&mut Rules> {
        match self {
            Additional::Schema(rules) => Some(rules),
            Additional::Any | Additional::Refused => None,
        }
    }
}

/// `contains` with its counts: at least `min` (1 unless `minContains` says otherwise) and at
/// most `max` items satisfy `rules`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contains {
    pub rules: Rules,
    /// `minContains`, as written (`None` is JSON Schema's default of 1).
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// `if` / `then` / `else`: a value that satisfies `condition` must satisfy `then`, any other
/// `otherwise`. The condition's own violations are never reported.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Conditional {
    pub condition: Rules,
    pub then: Option<Rules>,
    pub otherwise: Option<Rules>,
}

/// `unevaluatedProperties`, decided when the schema is lowered: the properties that its other
/// keywords (and those of its `allOf` members, through references) evaluate are those named
/// in `names` or matching a pattern in `patterns`; every other property must satisfy `rules`,
/// or is refused where `rules` is `None` (`unevaluatedProperties: false`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnevaluatedProperties {
    pub names: Vec<String>,
    /// Translated as [`Rules::pattern`] is.
    pub patterns: Vec<String>,
    pub rules: Option<Rules>,
}

/// `unevaluatedItems`, decided when the schema is lowered: the first `evaluated` items are
/// evaluated by `prefixItems` (its own or an `allOf` member's); every later item must satisfy
/// `rules`, or is refused where `rules` is `None` (`unevaluatedItems: false`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnevaluatedItems {
    pub evaluated: usize,
    pub rules: Option<Rules>,
}

/// `minimum` / `maximum`, with OpenAPI 3.0's boolean `exclusiveMinimum` / `exclusiveMaximum`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bound {
    pub value: serde_json::Number,
    pub exclusive: bool,
}

impl Rules {
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }

    /// The rules that concern a whole object rather than its properties one by one. With a
    /// 2020-12 keyword about property names, the struct keeps the properties it does not
    /// declare (rather than refusing them as it reads), so `additionalProperties` is kept here
    /// too, with the names `properties` lists (their rules are left to the fields).
    pub fn object_level(&self) -> Rules {
        let (properties, additional) = if !self.has_2020_12() {
            (Vec::new(), Additional::Any)
        } else {
            (
                self.properties.iter().map(|(name, _)| (name.clone(), Rules::default())).collect(),
                self.additional.clone(),
            )
        };
        Rules {
            min_properties: self.min_properties,
            max_properties: self.max_properties,
            enumeration: self.enumeration.clone(),
            all_of: self.all_of.clone(),
            any_of: self.any_of.clone(),
            one_of: self.one_of.clone(),
            not: self.not.clone(),
            properties,
            additional,
            prefix_items: self.prefix_items.clone(),
            contains: self.contains.clone(),
            dependent_required: self.dependent_required.clone(),
            dependent_schemas: self.dependent_schemas.clone(),
            conditional: self.conditional.clone(),
            pattern_properties: self.pattern_properties.clone(),
            property_names: self.property_names.clone(),
            unevaluated_properties: self.unevaluated_properties.clone(),
            unevaluated_items: self.unevaluated_items.clone(),
            ..Rules::default()
        }
    }

    /// Whether any JSON Schema 2020-12 applicator is set (those after [`Rules::not`]).
    pub fn has_2020_12(&self) -> bool {
        !self.prefix_items.is_empty()
            || self.contains.is_some()
            || !self.dependent_required.is_empty()
            || !self.dependent_schemas.is_empty()
            || self.conditional.is_some()
            || !self.pattern_properties.is_empty()
            || self.property_names.is_some()
            || self.unevaluated_properties.is_some()
            || self.unevaluated_items.is_some()
    }

    /// Every subschema's rules, in a fixed order: `items`, `properties`,
    /// `additionalProperties`, `allOf`, `anyOf`, `oneOf`, `not`, then the 2020-12 applicators
    /// in their declaration order. Walks over the rules (renumbering, cycle cuts) use this, so
    /// none misses a subschema.
    pub fn children(&self) -> Vec<&Rules> {
        let mut out: Vec<&Rules> = Vec::new();
        out.extend(self.items.as_deref());
        out.extend(self.properties.iter().map(|(_, r)| r));
        out.extend(self.additional.schema());
        out.extend(&self.all_of);
        out.extend(&self.any_of);
        out.extend(&self.one_of);
        out.extend(self.not.as_deref());
        out.extend(&self.prefix_items);
        out.extend(self.contains.as_deref().map(|c| &c.rules));
        out.extend(self.dependent_schemas.iter().map(|(_, r)| r));
        if let Some(c) = self.conditional.as_deref() {
            out.push(&c.condition);
            out.extend(c.then.as_ref());
            out.extend(c.otherwise.as_ref());
        }
        out.extend(self.pattern_properties.iter().map(|(_, r)| r));
        out.extend(self.property_names.as_deref());
        out.extend(self.unevaluated_properties.as_deref().and_then(|u| u.rules.as_ref()));
        out.extend(self.unevaluated_items.as_deref().and_then(|u| u.rules.as_ref()));
        out
    }

    /// [`Rules::children`], mutably, in the same order.
    pub fn children_mut(&mut self) -> Vec<&mut Rules> {
        let mut out: Vec<&mut Rules> = Vec::new();
        out.extend(self.items.as_deref_mut());
        out.extend(self.properties.iter_mut().map(|(_, r)| r));
        out.extend(self.additional.schema_mut());
        out.extend(&mut self.all_of);
        out.extend(&mut self.any_of);
        out.extend(&mut self.one_of);
        out.extend(self.not.as_deref_mut());
        out.extend(&mut self.prefix_items);
        out.extend(self.contains.as_deref_mut().map(|c| &mut c.rules));
        out.extend(self.dependent_schemas.iter_mut().map(|(_, r)| r));
        if let Some(c) = self.conditional.as_deref_mut() {
            out.push(&mut c.condition);
            out.extend(c.then.as_mut());
            out.extend(c.otherwise.as_mut());
        }
        out.extend(self.pattern_properties.iter_mut().map(|(_, r)| r));
        out.extend(self.property_names.as_deref_mut());
        out.extend(self.unevaluated_properties.as_deref_mut().and_then(|u| u.rules.as_mut()));
        out.extend(self.unevaluated_items.as_deref_mut().and_then(|u| u.rules.as_mut()));
        out
    }
}

/// An operation's HTTP method: the eight of an OpenAPI Path Item, OpenAPI 3.2's `query`, and
/// any other a 3.2 `additionalOperations` names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    Query,
    /// Another method token, upper-case (`COPY`); loading checked that it is a token.
    Other(String),
}

impl Method {
    /// The method of a Path Item's key (`get`) or an `additionalOperations` key, in any case.
    pub fn parse(name: &str) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "get" => Self::Get,
            "put" => Self::Put,
            "post" => Self::Post,
            "delete" => Self::Delete,
            "options" => Self::Options,
            "head" => Self::Head,
            "patch" => Self::Patch,
            "trace" => Self::Trace,
            "query" => Self::Query,
            _ => Self::Other(name.to_uppercase()),
        }
    }

    /// The method as the request line says it (`GET`, `QUERY`, `COPY`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
            Self::Query => "QUERY",
            Self::Other(token) => token,
        }
    }

    /// Whether `http::Method` has a constant of this name (`http::Method::GET`): all but
    /// `QUERY` and the others of `additionalOperations`, which are made from their bytes.
    pub fn has_constant(&self) -> bool {
        !matches!(self, Self::Query | Self::Other(_))
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A JSON type, as JSON Schema's `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    /// The type of that name, if it is one of the seven.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Self::Null,
            "boolean" => Self::Boolean,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "string" => Self::String,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => return None,
        })
    }

    /// The name as schemas write it, and as the runtime's type checks take it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        }
    }
}

/// A schema's `format`: those the generator gives meaning to (a type, a check, a secret), and
/// any other as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Date,
    DateTime,
    Time,
    Email,
    Hostname,
    Ipv4,
    Ipv6,
    Uri,
    Uuid,
    /// A file's bytes.
    Binary,
    /// A secret: `Debug` redacts it.
    Password,
    Int8,
    Int16,
    Int32,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uint,
    Decimal,
    /// Another format (`int64`, `double`, `byte`, `phone`), which changes nothing.
    Other(String),
}

impl Format {
    /// The format of a `format` keyword's value, as written (names are case-sensitive).
    pub fn parse(name: &str) -> Self {
        match name {
            "date" => Self::Date,
            "date-time" => Self::DateTime,
            "time" => Self::Time,
            "email" => Self::Email,
            "hostname" => Self::Hostname,
            "ipv4" => Self::Ipv4,
            "ipv6" => Self::Ipv6,
            "uri" => Self::Uri,
            "uuid" => Self::Uuid,
            "binary" => Self::Binary,
            "password" => Self::Password,
            "int8" => Self::Int8,
            "int16" => Self::Int16,
            "int32" => Self::Int32,
            "uint8" => Self::Uint8,
            "uint16" => Self::Uint16,
            "uint32" => Self::Uint32,
            "uint64" => Self::Uint64,
            "uint" => Self::Uint,
            "decimal" => Self::Decimal,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name as specs write it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Date => "date",
            Self::DateTime => "date-time",
            Self::Time => "time",
            Self::Email => "email",
            Self::Hostname => "hostname",
            Self::Ipv4 => "ipv4",
            Self::Ipv6 => "ipv6",
            Self::Uri => "uri",
            Self::Uuid => "uuid",
            Self::Binary => "binary",
            Self::Password => "password",
            Self::Int8 => "int8",
            Self::Int16 => "int16",
            Self::Int32 => "int32",
            Self::Uint8 => "uint8",
            Self::Uint16 => "uint16",
            Self::Uint32 => "uint32",
            Self::Uint64 => "uint64",
            Self::Uint => "uint",
            Self::Decimal => "decimal",
            Self::Other(name) => name,
        }
    }

    /// The runtime's check of the format, where it has one.
    pub fn checked(&self) -> Option<CheckedFormat> {
        Some(match self {
            Self::Date => CheckedFormat::Date,
            Self::DateTime => CheckedFormat::DateTime,
            Self::Time => CheckedFormat::Time,
            Self::Email => CheckedFormat::Email,
            Self::Hostname => CheckedFormat::Hostname,
            Self::Ipv4 => CheckedFormat::Ipv4,
            Self::Ipv6 => CheckedFormat::Ipv6,
            Self::Uri => CheckedFormat::Uri,
            Self::Uuid => CheckedFormat::Uuid,
            _ => return None,
        })
    }
}

/// A reference to a type, as a field or variant holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Primitive(Primitive),
    Named(TypeId),
    /// `nullable: true`: JSON `null` is a value.
    Nullable(Box<TypeRef>),
    Vec(Box<TypeRef>),
    /// A JSON object used as a map from keys to values of one type.
    Map(Box<TypeRef>),
    /// Indirection for recursive types.
    Boxed(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// `format: decimal`: a JSON number kept exactly as written (`5` stays `5`, `5.10` keeps
    /// its value), since a float would rewrite it.
    Decimal,
    /// `format: date` (RFC 3339 full-date).
    Date,
    /// `format: date-time` (RFC 3339 date-time, with offset).
    DateTime,
    Uuid,
    /// `format: binary`: a file's bytes, with its file name and content type
    /// (`apigen_runtime::Binary`).
    Binary,
    /// Any JSON value (a schema without a type).
    Value,
}

impl TypeRef {
    /// The type without its outer [`TypeRef::Nullable`]: what a value that is not `null`
    /// holds (a parameter, which cannot say `null`, is held as this).
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }

    /// The named type this is, through nullability and boxes (`Option<Box<Pet>>` is `Pet`).
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }
}

impl ApiModel {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// `ty` through the aliases it names: the first type that is not a named alias (a
    /// nullable alias stops at its `Nullable`). Lowering leaves no cycle of aliases (see
    /// `lower/cycles.rs`); the walk is bounded all the same, so that a bug cannot loop.
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Named(id) => match &self.type_def(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// `ty` through aliases and nullability both: the shape a value that is not `null` has
    /// (`Option<Tags>`, with `Tags = Vec<String>`, is the `Vec`).
    pub fn underlying<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut ty = ty;
        for _ in 0..=2 * self.types.len() {
            match self.resolve(ty) {
                TypeRef::Nullable(inner) => ty = inner,
                other => return other,
            }
        }
        ty
    }

    /// The cargo features a value of type `ty` needs: those of the named type inside it, if any.
    pub fn gate_of(&self, ty: &TypeRef) -> &Gate {
        static ALWAYS: Gate = Gate::Always;
        match ty {
            TypeRef::Named(id) => &self.type_def(*id).gate,
            TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                self.gate_of(inner)
            }
            TypeRef::Primitive(_) => &ALWAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_from_any_case_and_say_themselves_upper_case() {
        let methods: Vec<Method> =
            ["get", "PUT", "post", "delete", "options", "head", "patch", "trace", "query", "Copy"]
                .into_iter()
                .map(Method::parse)
                .collect();
        assert_eq!(
            methods,
            [
                Method::Get,
                Method::Put,
                Method::Post,
                Method::Delete,
                Method::Options,
                Method::Head,
                Method::Patch,
                Method::Trace,
                Method::Query,
                Method::Other("COPY".to_owned()),
            ]
        );
        let names: Vec<String> = methods.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY", "COPY"]);
        // `http::Method` has a constant for the eight of a Path Item only.
        let constants: Vec<bool> = methods.iter().map(Method::has_constant).collect();
        assert_eq!(constants, [true, true, true, true, true, true, true, true, false, false]);
    }

    #[test]
    fn formats_parse_by_name_say_themselves_and_know_their_checks() {
        let names = [
            "date",
            "date-time",
            "time",
            "email",
            "hostname",
            "ipv4",
            "ipv6",
            "uri",
            "uuid",
            "binary",
            "password",
            "int8",
            "int16",
            "int32",
            "uint8",
            "uint16",
            "uint32",
            "uint64",
            "uint",
            "decimal",
            "int64",
            "Date",
        ];
        let formats: Vec<Format> = names.into_iter().map(Format::parse).collect();
        assert_eq!(formats[20], Format::Other("int64".to_owned()));
        // Names are case-sensitive.
        assert_eq!(formats[21], Format::Other("Date".to_owned()));
        let spelled: Vec<&str> = formats.iter().map(Format::as_str).collect();
        assert_eq!(spelled, names);
        let checked: Vec<&str> = formats.iter().filter_map(Format::checked).map(CheckedFormat::name).collect();
        assert_eq!(checked, ["date", "date-time", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uuid"]);
        // Every other variant is distinct from `Other` of its name.
        let known = formats.iter().filter(|f| !matches!(f, Format::Other(_))).count();
        assert_eq!(known, 20);
    }

    #[test]
    fn json_types_parse_by_name_and_say_themselves() {
        let names = ["null", "boolean", "integer", "number", "string", "array", "object"];
        let types: Vec<JsonType> = names.into_iter().filter_map(JsonType::parse).collect();
        assert_eq!(
            types,
            [
                JsonType::Null,
                JsonType::Boolean,
                JsonType::Integer,
                JsonType::Number,
                JsonType::String,
                JsonType::Array,
                JsonType::Object
            ]
        );
        assert_eq!(types.iter().map(|t| t.as_str()).collect::<Vec<_>>(), names);
        assert_eq!(JsonType::parse("strng"), None);
        assert_eq!(JsonType::parse("String"), None);
    }

    /// A model of the types given, in order, and nothing else.
    fn model_of(types: Vec<(&str, TypeKind)>) -> ApiModel {
        let types = types
            .into_iter()
            .map(|(name, kind)| TypeDef {
                name: name.to_owned(),
                doc: Doc::default(),
                kind,
                rules: Rules::default(),
                nullable: false,
                xml: None,
                discriminator: None,
                unknown: None,
                gate: Gate::Always,
            })
            .collect();
        ApiModel {
            crate_name: "t".to_owned(),
            crate_version: "0.1.0".to_owned(),
            title: "t".to_owned(),
            description: None,
            source_name: "t.yaml".to_owned(),
            runtime: crate::Runtime::Version("0.1".to_owned()),
            types,
            schemas: Vec::new(),
            operations: Vec::new(),
            security_schemes: Vec::new(),
            default_base_url: None,
            xml_bodies: Vec::new(),
            replaced: BTreeMap::new(),
            derives: BTreeMap::new(),
            features: Vec::new(),
        }
    }

    fn nullable(ty: TypeRef) -> TypeRef {
        TypeRef::Nullable(Box::new(ty))
    }

    #[test]
    fn resolve_follows_aliases_and_stops_at_nullability_underlying_goes_through_both() {
        let string = TypeRef::Primitive(Primitive::String);
        let model = model_of(vec![
            // 0: `Name = String`; 1: `Alias = Name`; 2: `MaybeName = Option<Alias>`;
            // 3: `Again = MaybeName`; 4: a struct.
            ("Name", TypeKind::Alias(string.clone())),
            ("Alias", TypeKind::Alias(TypeRef::Named(TypeId(0)))),
            ("MaybeName", TypeKind::Alias(nullable(TypeRef::Named(TypeId(1))))),
            ("Again", TypeKind::Alias(TypeRef::Named(TypeId(2)))),
            ("Kind", TypeKind::StringEnum(Vec::new())),
        ]);
        assert_eq!(model.resolve(&TypeRef::Named(TypeId(1))), &string);
        assert_eq!(model.resolve(&TypeRef::Named(TypeId(3))), &nullable(TypeRef::Named(TypeId(1))));
        assert_eq!(model.resolve(&TypeRef::Named(TypeId(4))), &TypeRef::Named(TypeId(4)));
        // Not through a nullable reference, nor a box or a list.
        let outer = nullable(TypeRef::Named(TypeId(0)));
        assert_eq!(model.resolve(&outer), &outer);
        assert_eq!(model.underlying(&TypeRef::Named(TypeId(3))), &string);
        assert_eq!(model.underlying(&nullable(TypeRef::Named(TypeId(3)))), &string);
        let list = TypeRef::Vec(Box::new(TypeRef::Named(TypeId(0))));
        assert_eq!(model.underlying(&list), &list);
    }

    #[test]
    fn a_cycle_of_aliases_ends_the_walk_instead_of_looping() {
        // Lowering cuts such cycles; the walk is bounded should one slip through.
        let model = model_of(vec![
            ("A", TypeKind::Alias(TypeRef::Named(TypeId(1)))),
            ("B", TypeKind::Alias(TypeRef::Named(TypeId(0)))),
            ("C", TypeKind::Alias(nullable(TypeRef::Named(TypeId(2))))),
        ]);
        // As many steps as there are types, then where the walk stands.
        assert_eq!(model.resolve(&TypeRef::Named(TypeId(0))), &TypeRef::Named(TypeId(0)));
        assert_eq!(model.resolve(&TypeRef::Named(TypeId(2))), &nullable(TypeRef::Named(TypeId(2))));
        assert_eq!(model.underlying(&TypeRef::Named(TypeId(2))), &TypeRef::Named(TypeId(2)));
    }

    #[test]
    fn non_null_strips_one_nullable_and_named_sees_through_boxes() {
        let pet = TypeRef::Named(TypeId(7));
        assert_eq!(nullable(pet.clone()).non_null(), &pet);
        assert_eq!(pet.non_null(), &pet);
        assert_eq!(nullable(nullable(pet.clone())).non_null(), &nullable(pet.clone()));
        assert_eq!(nullable(TypeRef::Boxed(Box::new(pet.clone()))).named(), Some(TypeId(7)));
        assert_eq!(TypeRef::Vec(Box::new(pet)).named(), None);
    }
}
