//! Every body schema of the five specs and of the patterns fixture, with the generated type
//! that reads it.

use apigen_runtime::ValidationErrors;
use apigen_tests::fixtures::patterns;

/// One body schema: the API, the component name, and the generated reader.
pub struct Entry {
    pub api: &'static str,
    pub schema: &'static str,
    /// `apigen_runtime::from_json` into the generated type, the value discarded.
    pub check: fn(&[u8]) -> Result<(), ValidationErrors>,
    /// Whether the bytes deserialize into the generated type at all (rules not checked): tells a
    /// structural failure (one error, where deserialization stopped) from rule violations.
    pub deserializes: fn(&[u8]) -> bool,
}

macro_rules! entry {
    ($api:literal, $krate:ident :: $ty:ident) => {
        Entry {
            api: $api,
            schema: stringify!($ty),
            check: |bytes| apigen_runtime::from_json::<$krate::types::$ty>(bytes).map(|_| ()),
            deserializes: |bytes| serde_json::from_slice::<$krate::types::$ty>(bytes).is_ok(),
        }
    };
}

pub fn entries() -> Vec<Entry> {
    vec![
        entry!("pelcro", pelcro::CreateCustomerRequest),
        entry!("pelcro", pelcro::CreateCustomerForm),
        entry!("revnue", revnue::CreateCustomerRequest),
        entry!("revnue", revnue::Customer),
        entry!("revnue", revnue::ErrorDetail),
        entry!("simplepin", simplepin::CcProfileApiV2Model),
        entry!("simplepin", simplepin::CcProfileV2Model),
        entry!("revcent", revcent::CreateCustomerRequest),
        entry!("revcent", revcent::CreateCustomerSuccess),
        entry!("revcent", revcent::ApiStandardErrors),
        entry!("jtl", jtl::CreateCustomer),
        entry!("jtl", jtl::Customer),
        entry!("jtl", jtl::ErrorResponse),
        entry!("patterns", patterns::Tags),
    ]
}

/// The entries of one API, in registry order.
pub fn for_api(api: &str) -> Vec<Entry> {
    entries().into_iter().filter(|e| e.api == api).collect()
}
