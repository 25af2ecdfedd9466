//! Model: the plain-data description of what a generated crate contains.
//!
//! Lowering fills it from the spec; emitting turns it into tokens. It knows neither
//! `openapiv3` nor `quote`. Types live in an arena ([`ApiModel::types`]) indexed by
//! [`TypeId`], so references between types (including cycles) are plain indices. Every node
//! keeps the JSON Pointer it came from, for doc comments and diagnostics.

/// Everything one generated crate is made from.
#[derive(Debug, Clone, Default)]
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
    /// Named types, in the order they are emitted.
    pub types: Vec<TypeDef>,
}

/// Index of a type in [`ApiModel::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named type: a struct, an enum or an alias.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier, unique in the crate.
    pub name: String,
    pub doc: Doc,
    pub kind: TypeKind,
}

/// Documentation of an item: its text, and where in the spec it came from.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub title: Option<String>,
    pub description: Option<String>,
    /// JSON Pointer of the schema (`#/components/schemas/Customer`).
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A closed set of strings, each variant with its exact wire value.
    StringEnum(Vec<EnumVariant<String>>),
    /// A closed set of integers.
    IntegerEnum(Vec<EnumVariant<i64>>),
    /// `oneOf` / `anyOf` over differently shaped values: the first variant (in declaration
    /// order) that the value deserializes into wins, so variants are declared most specific
    /// first.
    Union(Vec<UnionVariant>),
    /// A name for another type (`pub type CustomerId = String;`).
    Alias(TypeRef),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties: false`: unknown fields are refused.
    pub deny_unknown_fields: bool,
    /// `additionalProperties: true` or a schema: unknown fields are kept in a map whose values
    /// have this type, under the field name given.
    pub additional: Option<(String, TypeRef)>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    /// Listed in the schema's `required`. A field that is not required is an `Option`.
    pub required: bool,
    pub doc: Doc,
}

#[derive(Debug, Clone)]
pub struct EnumVariant<T> {
    pub rust_name: String,
    pub value: T,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub doc: Doc,
}

/// A reference to a type, as a field or variant holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    /// Any JSON value (a schema without a type).
    Value,
}

impl ApiModel {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}
