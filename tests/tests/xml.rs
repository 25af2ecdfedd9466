//! The XML form of generated types: SimplePin's seed XML examples round-trip exactly, the
//! `xml` objects of `fixtures/xml.yaml` shape the documents written, values are the same
//! through JSON and through XML, and bad documents are refused with a clear message and
//! position, quickly and without panicking.
//!
//! Documents are compared by an independent reader (quick-xml's, not the runtime's tree):
//! the same elements, attributes, order and text, with whitespace-only text between elements
//! ignored and `<x/>` the same as `<x></x>`.

use std::time::{Duration, Instant};

use apigen_runtime::Validate;
use apigen_tests::fixtures::xml::types as fx;
use quick_xml::events::Event;
use simplepin::types::{AddressApiV2Model, CcContractV2Model, CcProfileApiV2Model, CcProfileV2Model};
use simplepin::XmlError;

/// Seed 002's XML request example, verbatim.
const SEED_REQUEST: &str = "<add_update_cc_profile_model>
<billing_addresses>
<billing_address>
<id>0</id>
<zip>string</zip>
<city>string</city>
<country>0</country>
<province>0</province>
<address>string</address>
<selected>1</selected>
</billing_address>
<billing_address>
<id>0</id>
<zip>string</zip>
<city>string</city>
<country>0</country>
<province>0</province>
<address>string</address>
<selected>1</selected>
</billing_address>
</billing_addresses>
<contract_email>string</contract_email>
<contracts>
<contract>
<id>0</id>
<name>string</name>
</contract>
<contract>
<id>0</id>
<name>string</name>
</contract>
</contracts>
<customer_id>string</customer_id>
<customer_name>string</customer_name>
<customer_since>yyyy-MM-dd'T'HH:mm:ss.SSSXXX</customer_since>
<delete_billing_address_ids/>
<main_address/>
<mobile_number>string</mobile_number>
<phone_number>string</phone_number>
</add_update_cc_profile_model>";

/// Seed 002's XML response example (200 and 201), verbatim.
const SEED_RESPONSE: &str = "<cc_profile_model>
<billing_address_id>0</billing_address_id>
<billing_address_models>
<billing_address_model>
<id>0</id>
<zip>string</zip>
<city>string</city>
<country>0</country>
<province>0</province>
<address>string</address>
<selected>1</selected>
</billing_address_model>
<billing_address_model>
<id>0</id>
<zip>string</zip>
<city>string</city>
<country>0</country>
<province>0</province>
<address>string</address>
<selected>1</selected>
</billing_address_model>
</billing_address_models>
<contract_email>string</contract_email>
<contracts>
<contract>
<id>0</id>
<name>string</name>
</contract>
<contract>
<id>0</id>
<name>string</name>
</contract>
</contracts>
<customer_id>string</customer_id>
<customer_name>string</customer_name>
<customer_since>yyyy-MM-dd'T'HH:mm:ss.SSSXXX</customer_since>
<id>0</id>
<main_address/>
<mobile_number>string</mobile_number>
<phone_number>string</phone_number>
<status>REQUIRES_ACTIVATION</status>
<version>0</version>
</cc_profile_model>";

/// A document as a list of tokens: `<name attr="v">`, `text`, `</name>`. Whitespace-only
/// text is dropped and other text is trimmed; an empty element is a start and an end.
fn normalize(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let start = |e: &quick_xml::events::BytesStart<'_>| {
        let mut attributes: Vec<String> = e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                format!(
                    " {}={:?}",
                    String::from_utf8_lossy(a.key.as_ref()),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("attribute value").into_owned()
                )
            })
            .collect();
        attributes.sort();
        format!("<{}{}>", String::from_utf8_lossy(e.name().as_ref()), attributes.concat())
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => out.push(start(&e)),
            Event::Empty(e) => {
                out.push(start(&e));
                out.push(format!("</{}>", String::from_utf8_lossy(e.name().as_ref())));
            }
            Event::End(e) => out.push(format!("</{}>", String::from_utf8_lossy(e.name().as_ref()))),
            Event::Text(t) => {
                let text = t.xml10_content().expect("text").trim().to_owned();
                if !text.is_empty() {
                    out.push(text);
                }
            }
            Event::GeneralRef(r) => out.push(format!("&{};", r.decode().expect("reference"))),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn assert_same_document(what: &str, expected: &str, actual: &str) {
    assert_eq!(
        normalize(actual),
        normalize(expected),
        "{what}: documents differ\n--- expected ---\n{expected}\n--- actual ---\n{actual}"
    );
}

fn simplepin_spec() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/simplepin.yaml");
    let text = std::fs::read_to_string(path).expect("specs/simplepin.yaml is readable");
    serde_yaml::from_str(&text).expect("specs/simplepin.yaml is YAML")
}

const OP: &str = "/paths/~1v2~1customer~1add/post";

fn spec_xml_example(where_: &str) -> String {
    let pointer = format!("{OP}/{where_}/content/application~1xml/example");
    simplepin_spec()
        .pointer(&pointer)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no string at {pointer}"))
        .to_owned()
}

fn address() -> AddressApiV2Model {
    AddressApiV2Model::new()
        .with_id(0)
        .with_zip("string")
        .with_city("string")
        .with_country(0)
        .with_province(0)
        .with_address("string")
        .with_selected(true)
}

fn contract() -> CcContractV2Model {
    CcContractV2Model::new().with_id(0).with_name("string")
}

// ---------------------------------------------------------------------------------------
// SimplePin: the seed's examples
// ---------------------------------------------------------------------------------------

#[test]
fn the_spec_xml_examples_are_the_seed_xml() {
    assert_eq!(spec_xml_example("requestBody"), SEED_REQUEST);
    assert_eq!(spec_xml_example("responses/200"), SEED_RESPONSE);
    assert_eq!(spec_xml_example("responses/201"), SEED_RESPONSE);
}

#[test]
fn simplepin_request_example_round_trips_exactly() {
    let typed = CcProfileApiV2Model::from_xml(SEED_REQUEST).expect("the seed's request reads");
    assert_eq!(
        typed,
        CcProfileApiV2Model::new()
            .with_billing_addresses(vec![address(), address()])
            .with_contract_email("string")
            .with_contracts(vec![contract(), contract()])
            .with_customer_id("string")
            .with_customer_name("string")
            .with_customer_since("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            // Empty elements are present, empty values (see `empty_elements_are_empty_values`).
            .with_delete_billing_address_ids(vec![])
            .with_main_address(AddressApiV2Model::default())
            .with_mobile_number("string")
            .with_phone_number("string")
    );
    let written = typed.to_xml();
    assert_same_document("SimplePin request", SEED_REQUEST, &written);
    // Byte for byte, but for the line breaks between elements.
    assert_eq!(written, SEED_REQUEST.replace('\n', ""));
}

#[test]
fn simplepin_response_examples_round_trip_exactly() {
    for status in ["200", "201"] {
        let example = spec_xml_example(&format!("responses/{status}"));
        let typed = CcProfileV2Model::from_xml(&example).expect("the seed's response reads");
        assert_eq!(typed.billing_address_models, Some(vec![address(), address()]));
        assert_eq!(typed.contracts, Some(vec![contract(), contract()]));
        assert_eq!(typed.main_address, Some(AddressApiV2Model::default()));
        assert_eq!(typed.status.as_deref(), Some("REQUIRES_ACTIVATION"));
        assert_eq!((typed.id, typed.version, typed.billing_address_id), (Some(0), Some(0), Some(0)));
        let written = typed.to_xml();
        assert_same_document(&format!("SimplePin response {status}"), &example, &written);
        assert_eq!(written, example.replace('\n', ""));
    }
}

#[test]
fn root_element_names_come_from_the_spec() {
    assert_eq!(CcProfileApiV2Model::XML_ROOT.local, "add_update_cc_profile_model");
    assert_eq!(CcProfileV2Model::XML_ROOT.local, "cc_profile_model");
    // A type without `xml.name` is named after its component schema.
    assert_eq!(AddressApiV2Model::XML_ROOT.local, "AddressApiV2Model");
    let err = CcProfileV2Model::from_xml(SEED_REQUEST).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 1: expected the root element `<cc_profile_model>`, found `<add_update_cc_profile_model>`"
    );
}

// ---------------------------------------------------------------------------------------
// Booleans and empty elements
// ---------------------------------------------------------------------------------------

fn selected(text: &str) -> Result<Option<bool>, XmlError> {
    AddressApiV2Model::from_xml(&format!("<AddressApiV2Model><selected>{text}</selected></AddressApiV2Model>"))
        .map(|a| a.selected)
}

#[test]
fn booleans_read_1_0_true_false_and_write_1_0() {
    assert_eq!(selected("1").unwrap(), Some(true));
    assert_eq!(selected("0").unwrap(), Some(false));
    assert_eq!(selected("true").unwrap(), Some(true));
    assert_eq!(selected("false").unwrap(), Some(false));
    assert_eq!(selected(" true\n").unwrap(), Some(true), "whitespace around a boolean is ignored");
    assert_eq!(
        selected("yes").unwrap_err().to_string(),
        "line 1, column 30: `<selected>`: expected a boolean (`1`, `0`, `true` or `false`), found `yes`"
    );
    assert_eq!(
        selected("TRUE").unwrap_err().message(),
        "`<selected>`: expected a boolean (`1`, `0`, `true` or `false`), found `TRUE`"
    );
    let on = AddressApiV2Model::new().with_selected(true);
    assert_eq!(on.to_xml(), "<AddressApiV2Model><selected>1</selected></AddressApiV2Model>");
    let off = AddressApiV2Model::new().with_selected(false);
    assert_eq!(off.to_xml(), "<AddressApiV2Model><selected>0</selected></AddressApiV2Model>");
}

/// The decision: an empty element is a present, empty value where the type has one (an
/// object with nothing set, an empty list, an empty string), so that SimplePin's
/// `<main_address/>` and `<delete_billing_address_ids/>` read back as they were written.
/// Where the type has no empty value (numbers, booleans, dates, enums), an empty element of
/// an optional property reads as absent.
#[test]
fn empty_elements_are_empty_values() {
    let doc = "<add_update_cc_profile_model><customer_id/><delete_billing_address_ids/><main_address/></add_update_cc_profile_model>";
    let typed = CcProfileApiV2Model::from_xml(doc).unwrap();
    assert_eq!(typed.main_address, Some(AddressApiV2Model::default()));
    assert_eq!(typed.delete_billing_address_ids, Some(vec![]));
    assert_eq!(typed.customer_id, Some(String::new()));
    assert_eq!(typed.contracts, None, "an absent element is absent");
    assert_eq!(typed.to_xml(), doc);

    let also_empty = "<add_update_cc_profile_model><main_address></main_address><delete_billing_address_ids>\n</delete_billing_address_ids></add_update_cc_profile_model>";
    let typed = CcProfileApiV2Model::from_xml(also_empty).unwrap();
    assert_eq!(typed.main_address, Some(AddressApiV2Model::default()));
    assert_eq!(typed.delete_billing_address_ids, Some(vec![]));

    let contract = CcContractV2Model::from_xml("<CcContractV2Model><id/><name/></CcContractV2Model>").unwrap();
    assert_eq!(contract, CcContractV2Model::new().with_name(""));
    let address = AddressApiV2Model::from_xml("<AddressApiV2Model><selected> </selected></AddressApiV2Model>").unwrap();
    assert_eq!(address.selected, None);

    // `xsi:nil` is absent too.
    let nil = r#"<CcContractV2Model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><name xsi:nil="true"/></CcContractV2Model>"#;
    assert_eq!(CcContractV2Model::from_xml(nil).unwrap(), CcContractV2Model::default());

    // A required number has no empty value: an empty element is an error.
    let err = fx::Library::from_xml(
        r#"<lib:library xmlns:lib="https://example.com/library" id=""><lib:name/></lib:library>"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 54: attribute `id` of `<lib:library>`: expected a 64-bit integer, found nothing"
    );
}

// ---------------------------------------------------------------------------------------
// JSON and XML carry the same value
// ---------------------------------------------------------------------------------------

fn through_json<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

#[test]
fn simplepin_values_are_the_same_through_json_and_xml() {
    let json_example =
        simplepin_spec().pointer(&format!("{OP}/requestBody/content/application~1json/example")).unwrap().clone();
    let from_json: CcProfileApiV2Model = serde_json::from_value(json_example).unwrap();
    let from_xml = CcProfileApiV2Model::from_xml(SEED_REQUEST).unwrap();
    for value in [from_json, from_xml] {
        assert_eq!(CcProfileApiV2Model::from_xml(&value.to_xml()).unwrap(), value);
        assert_eq!(through_json(&value), value);
    }
    let response = CcProfileV2Model::from_xml(SEED_RESPONSE).unwrap();
    assert_eq!(CcProfileV2Model::from_xml(&response.to_xml()).unwrap(), response);
    assert_eq!(through_json(&response), response);
}

fn book(title: &str) -> fx::Book {
    fx::Book::new(title)
        .with_isbn(format!("isbn-{title}"))
        .with_published(chrono::NaiveDate::from_ymd_opt(2020, 2, 29).unwrap())
        .with_available(false)
        .with_authors(vec!["Ann".into(), "Bo & Co <ltd>".into()])
}

fn library() -> fx::Library {
    fx::Library::new(7, "Main \"street\" library", None)
        .with_version("2")
        .with_level(fx::Level::V3)
        .with_open(true)
        .with_tags(vec!["a".into(), " spaced ".into()])
        .with_ratings(vec![5, -1])
        .with_books(vec![book("one"), book("two")])
        .with_featured(vec![book("three")])
        .with_address(fx::Address::new().with_street("Elm"))
        .with_kind(fx::Kind::NonFiction)
        .with_grid(vec![vec![1, 2], vec![], vec![3]])
        .with_metadata([("floor".to_owned(), "2".to_owned())].into_iter().collect())
        .with_cover(fx::LibraryCover::new().with_url("https://example.com/c.png"))
        .with_note("line\r\nbreak")
}

/// What `fixtures/xml.yaml`'s `xml` objects make of a `Library`.
const LIBRARY_XML: &str = concat!(
    r#"<lib:library xmlns:lib="https://example.com/library" id="7" schema-version="2" level="3">"#,
    r#"<lib:name>Main "street" library</lib:name>"#,
    "<open>1</open>",
    "<tags><tag>a</tag><tag> spaced </tag></tags>",
    "<ratings>5</ratings><ratings>-1</ratings>",
    "<shelf>",
    r#"<book isbn="isbn-one"><title>one</title><published>2020-02-29</published><available>0</available><authors><author>Ann</author><author>Bo &amp; Co &lt;ltd&gt;</author></authors></book>"#,
    r#"<book isbn="isbn-two"><title>two</title><published>2020-02-29</published><available>0</available><authors><author>Ann</author><author>Bo &amp; Co &lt;ltd&gt;</author></authors></book>"#,
    "</shelf>",
    r#"<featured-book isbn="isbn-three"><title>three</title><published>2020-02-29</published><available>0</available><authors><author>Ann</author><author>Bo &amp; Co &lt;ltd&gt;</author></authors></featured-book>"#,
    r#"<address xmlns="https://example.com/address"><street>Elm</street></address>"#,
    "<kind>non-fiction</kind>",
    "<grid><grid><grid>1</grid><grid>2</grid></grid><grid/><grid><grid>3</grid></grid></grid>",
    "<metadata><floor>2</floor></metadata>",
    "<cover><url>https://example.com/c.png</url></cover>",
    "<note>line&#13;\nbreak</note>",
    "</lib:library>",
);

#[test]
fn xml_objects_shape_the_document() {
    assert_eq!(library().to_xml(), LIBRARY_XML);
}

#[test]
fn fixture_values_are_the_same_through_json_and_xml() {
    let value = library();
    let read = fx::Library::from_xml(&value.to_xml()).unwrap();
    assert_eq!(read, value);
    assert_eq!(through_json(&value), value);
    read.validate().expect("the library is valid");

    let receipts = [
        fx::Receipt::new().with_ok(false).with_count(3).with_reference(fx::ReceiptReference::Integer(12)),
        fx::Receipt::new().with_reference(fx::ReceiptReference::String("r-12".into())),
        fx::Receipt::default(),
    ];
    for receipt in receipts {
        // `##default` is not an XML name: the root is named after the schema.
        assert!(receipt.to_xml().starts_with("<Receipt"), "{}", receipt.to_xml());
        assert_eq!(fx::Receipt::from_xml(&receipt.to_xml()).unwrap(), receipt);
        assert_eq!(through_json(&receipt), receipt);
    }
}

#[test]
fn namespaces_are_matched_by_name_not_by_prefix() {
    // The same document with another prefix, the default namespace for the root's children
    // and the elements in another order reads the same.
    let other = concat!(
        r#"<x:library xmlns:x="https://example.com/library" xmlns="https://example.com/library" level="3" schema-version="2" id="7">"#,
        "<x:name>n</x:name>",
        "<kind>fiction</kind>",
        "<open>true</open>",
        "</x:library>",
    );
    let read = fx::Library::from_xml(other).unwrap();
    assert_eq!((read.id, read.name.as_str(), read.kind, read.open), (7, "n", Some(fx::Kind::Fiction), Some(true)));
    assert_eq!(read.level, Some(fx::Level::V3));

    // An element in another namespace than the schema's is not that element.
    let err =
        fx::Library::from_xml(r#"<lib:library xmlns:lib="urn:other" id="1"><lib:name>n</lib:name></lib:library>"#)
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 1: expected the root element `<library>` in namespace `https://example.com/library`, found `<lib:library>` in namespace `urn:other`"
    );
    let err = fx::Library::from_xml(
        r#"<lib:library xmlns:lib="https://example.com/library" id="1"><name>n</name></lib:library>"#,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "line 1, column 1: `<lib:library>` is missing the required element `<name>`");
}

// ---------------------------------------------------------------------------------------
// Bad documents
// ---------------------------------------------------------------------------------------

fn request_error(xml: &str) -> String {
    CcProfileApiV2Model::from_xml(xml).unwrap_err().to_string()
}

#[test]
fn malformed_documents_are_refused_with_their_position() {
    assert_eq!(
        request_error("<add_update_cc_profile_model>\n  <customer_id>x</customer_name>\n</add_update_cc_profile_model>"),
        "line 2, column 17: malformed XML: ill-formed document: expected `</customer_id>`, but `</customer_name>` was found"
    );
    assert_eq!(
        request_error("<add_update_cc_profile_model><customer_id>x"),
        "line 1, column 30: `<customer_id>` is not closed before the end of the document"
    );
    assert_eq!(
        request_error("<add_update_cc_profile_model a=1/>"),
        "line 1, column 32: malformed XML: an attribute value must be enclosed in `\"` or `'`"
    );
    assert_eq!(
        request_error("<add_update_cc_profile_model a='1' a='2'/>"),
        "line 1, column 36: malformed XML: an attribute appears twice"
    );
    assert_eq!(request_error(""), "line 1, column 1: the document has no root element");
    assert_eq!(
        request_error("<add_update_cc_profile_model/><add_update_cc_profile_model/>"),
        "line 1, column 31: a second root element: a document has exactly one"
    );
    assert_eq!(
        request_error("<add_update_cc_profile_model/>trailing"),
        "line 1, column 31: text `trailing` outside the root element"
    );
    assert_eq!(
        request_error("<add_update_cc_profile_model><p:customer_id/></add_update_cc_profile_model>"),
        "line 1, column 30: the namespace prefix `p` of `p:customer_id` is not declared"
    );
}

#[test]
fn dtds_and_entities_are_refused_and_never_expanded() {
    let with_dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE add_update_cc_profile_model [<!ENTITY name \"x\">]>\n<add_update_cc_profile_model><customer_id>&name;</customer_id></add_update_cc_profile_model>";
    assert_eq!(
        request_error(with_dtd),
        "line 2, column 1: a document type declaration (`<!DOCTYPE`) is not allowed: DTDs and entity declarations are refused, and entities are never expanded"
    );
    let undeclared = "<add_update_cc_profile_model><customer_id>a&name;</customer_id></add_update_cc_profile_model>";
    assert_eq!(
        request_error(undeclared),
        "line 1, column 44: the entity reference `&name;` is not allowed: only the predefined entities and character references are read, and entities are never expanded"
    );
    let in_attribute = r#"<lib:library xmlns:lib="https://example.com/library" id="&x;"><lib:name/></lib:library>"#;
    assert_eq!(
        fx::Library::from_xml(in_attribute).unwrap_err().to_string(),
        "line 1, column 54: the entity reference `&x;` is not allowed: only the predefined entities and character references are read, and entities are never expanded"
    );
    // The predefined entities and character references are read.
    let fine = "<add_update_cc_profile_model><customer_id>&lt;&amp;&gt;&quot;&apos;&#49;&#x32;</customer_id></add_update_cc_profile_model>";
    assert_eq!(CcProfileApiV2Model::from_xml(fine).unwrap().customer_id.as_deref(), Some("<&>\"'12"));
}

#[test]
fn values_of_the_wrong_kind_are_refused_with_their_position() {
    let doc = "<add_update_cc_profile_model>\n<contracts>\n<contract>\n<id>twelve</id>\n</contract>\n</contracts>\n</add_update_cc_profile_model>";
    assert_eq!(request_error(doc), "line 4, column 5: `<id>`: expected a 64-bit integer, found `twelve`");
    let doc = "<add_update_cc_profile_model><contracts><contract><id>1<x/></id></contract></contracts></add_update_cc_profile_model>";
    assert_eq!(request_error(doc), "line 1, column 56: `<id>` holds a value as text, but has the element `<x>` in it");
    let doc = "<add_update_cc_profile_model><customer_id>a</customer_id><customer_id>b</customer_id></add_update_cc_profile_model>";
    assert_eq!(
        request_error(doc),
        "line 1, column 58: element `<customer_id>` appears more than once in `<add_update_cc_profile_model>`"
    );
    let doc = "<add_update_cc_profile_model><delete_billing_address_ids><delete_billing_address_ids>9999999999999999999999</delete_billing_address_ids></delete_billing_address_ids></add_update_cc_profile_model>";
    assert_eq!(
        request_error(doc),
        "line 1, column 86: `<delete_billing_address_ids>`: expected a 64-bit integer, found `9999999999999999999999`"
    );
    assert_eq!(
        fx::Book::from_xml("<book><title>t</title><published>29.02.2020</published></book>").unwrap_err().to_string(),
        "line 1, column 34: `<published>`: expected a date (`YYYY-MM-DD`), found `29.02.2020`"
    );
    // A string enum value the spec does not list is kept, as in JSON, and refused by
    // validation.
    let library = fx::Library::from_xml(
        r#"<lib:library xmlns:lib="https://example.com/library" id="1"><lib:name/><kind>poetry</kind></lib:library>"#,
    )
    .expect("an unlisted kind is read");
    assert_eq!(library.kind, Some(fx::Kind::UnknownValue("poetry".to_owned())));
    assert!(library.to_xml().contains("<kind>poetry</kind>"), "{}", library.to_xml());
    let errors = library.validate().expect_err("poetry is not listed").into_vec();
    let errors: Vec<(&str, &str, &str)> =
        errors.iter().map(|e| (e.pointer.as_str(), e.keyword, e.message.as_str())).collect();
    assert_eq!(errors, [("/kind", "enum", r#"must be one of ["fiction","non-fiction"]"#)]);
    assert_eq!(
        fx::Library::from_xml(
            r#"<lib:library xmlns:lib="https://example.com/library" id="1" level="4"><lib:name/></lib:library>"#
        )
        .unwrap_err()
        .to_string(),
        "line 1, column 61: attribute `level` of `<lib:library>`: expected one of `1`, `2`, `3`, found `4`"
    );
}

#[test]
fn unknown_elements_are_refused_only_where_the_schema_forbids_them() {
    // `Book` says `additionalProperties: false`.
    assert_eq!(
        fx::Book::from_xml("<book>\n  <title>t</title>\n  <subtitle>s</subtitle>\n</book>").unwrap_err().to_string(),
        "line 3, column 3: unknown element `<subtitle>` in `<book>`"
    );
    assert_eq!(
        fx::Book::from_xml(r#"<book lang="en"><title>t</title></book>"#).unwrap_err().to_string(),
        "line 1, column 7: unknown attribute `lang` on `<book>`"
    );
    assert_eq!(
        fx::Book::from_xml("<book><title>t</title>stray</book>").unwrap_err().to_string(),
        "line 1, column 23: unexpected text `stray` in `<book>`, which holds elements"
    );
    assert_eq!(
        fx::Book::from_xml("<book><title>t</title><authors><writer>w</writer></authors></book>")
            .unwrap_err()
            .to_string(),
        "line 1, column 32: unknown element `<writer>` in `<authors>`, which holds `<author>` items"
    );
    assert_eq!(
        fx::Book::from_xml("<book/>").unwrap_err().to_string(),
        "line 1, column 1: `<book>` is missing the required element `<title>`"
    );
    // SimplePin's models allow other properties: unknown elements are skipped.
    let doc = "<add_update_cc_profile_model><unknown><deep>1</deep></unknown><customer_id>c</customer_id></add_update_cc_profile_model>";
    assert_eq!(CcProfileApiV2Model::from_xml(doc).unwrap().customer_id.as_deref(), Some("c"));
}

#[test]
fn a_deep_nesting_bomb_is_refused_quickly() {
    let depth = 1_000_000;
    let bomb = format!(
        "<add_update_cc_profile_model>{}{}</add_update_cc_profile_model>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let started = Instant::now();
    let err = CcProfileApiV2Model::from_xml(&bomb).unwrap_err();
    assert_eq!(err.to_string(), "line 1, column 411: elements are nested deeper than 128 levels");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    // Within the bound, deep documents read (and unknown subtrees are skipped).
    let deep = format!(
        "<add_update_cc_profile_model>{}{}</add_update_cc_profile_model>",
        "<a>".repeat(127),
        "</a>".repeat(127)
    );
    assert_eq!(CcProfileApiV2Model::from_xml(&deep).unwrap(), CcProfileApiV2Model::default());
    // Unclosed, it is still refused at the bound.
    let unclosed = format!("<add_update_cc_profile_model>{}", "<a>".repeat(depth));
    assert!(CcProfileApiV2Model::from_xml(&unclosed).unwrap_err().message().starts_with("elements are nested deeper"));
}

#[test]
fn an_entity_bomb_is_refused_quickly() {
    // The billion laughs: ten entities of ten references each, nine deep.
    let mut dtd = String::from("<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let previous = if i == 1 { "lol".to_owned() } else { format!("lol{}", i - 1) };
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10)));
    }
    dtd.push_str("]>\n");
    let bomb =
        format!("{dtd}<add_update_cc_profile_model><customer_id>&lol9;</customer_id></add_update_cc_profile_model>");
    let started = Instant::now();
    let err = CcProfileApiV2Model::from_xml(&bomb).unwrap_err();
    assert_eq!((err.line(), err.column()), (1, 1));
    assert!(err.message().starts_with("a document type declaration (`<!DOCTYPE`) is not allowed"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    // Without the DTD, a flood of references to an undeclared entity stops at the first.
    let flood = format!(
        "<add_update_cc_profile_model><customer_id>{}</customer_id></add_update_cc_profile_model>",
        "&lol9;".repeat(200_000)
    );
    let err = CcProfileApiV2Model::from_xml(&flood).unwrap_err();
    assert_eq!((err.line(), err.column()), (1, 43));
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn nothing_panics_on_mangled_documents() {
    // Every prefix of the seed's documents, and each with one byte replaced by markup.
    for doc in [SEED_REQUEST, SEED_RESPONSE, LIBRARY_XML] {
        for (i, _) in doc.char_indices() {
            let _ = CcProfileApiV2Model::from_xml(&doc[..i]);
            let _ = CcProfileV2Model::from_xml(&doc[..i]);
            let _ = fx::Library::from_xml(&doc[..i]);
            for junk in ["<", "&", ">", "\"", "/", "\u{0}"] {
                let mangled = format!("{}{junk}{}", &doc[..i], &doc[i..]);
                let _ = CcProfileApiV2Model::from_xml(&mangled);
                let _ = fx::Library::from_xml(&mangled);
            }
        }
    }
}
