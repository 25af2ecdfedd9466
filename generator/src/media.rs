//! Media types, read one way everywhere: the essence of a media type (`application/json` of
//! `application/json; charset=utf-8`, lower case), and what kind of body each one names.

use crate::model::FormKind;

/// A media type without its parameters, in lower case (media types are case-insensitive).
pub fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `application/json`, `application/problem+json`, `text/json` and the like.
pub fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

/// `application/xml`, `text/xml`, `application/atom+xml` and the like.
pub fn is_xml(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

/// Server-sent events or a JSON Lines flavour: a body read as a stream of items.
pub fn is_stream(media: &str) -> bool {
    matches!(
        essence(media).as_str(),
        "text/event-stream" | "application/jsonl" | "application/x-ndjson" | "application/json-seq"
    )
}

/// Server-sent events (of the streamed media types, the one with event names and ids).
pub fn is_event_stream(media: &str) -> bool {
    essence(media) == "text/event-stream"
}

/// The form a media type names, if it is one.
pub fn form_kind(media: &str) -> Option<FormKind> {
    match essence(media).as_str() {
        "multipart/form-data" => Some(FormKind::Multipart),
        "application/x-www-form-urlencoded" => Some(FormKind::UrlEncoded),
        _ => None,
    }
}

/// A media type whose body is bytes rather than a document (`application/octet-stream`, an
/// image, a PDF): anything but JSON, XML, text and forms.
pub fn is_binary(media: &str) -> bool {
    let essence = essence(media);
    !(is_json(&essence)
        || is_xml(&essence)
        || essence.starts_with("text/")
        || form_kind(&essence).is_some()
        || essence == "*/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_by_kind() {
        assert_eq!(essence(" Application/JSON ; charset=utf-8"), "application/json");
        assert!(is_json("application/problem+json") && is_json("text/json; x=y") && !is_json("application/jsonl"));
        assert!(
            is_xml("application/xml")
                && is_xml("text/xml; charset=utf-8")
                && is_xml("application/vnd.openstack.compute+xml;version=2")
        );
        assert!(!is_xml("application/json") && !is_xml("application/xml-dtd"));
        assert!(is_stream("text/event-stream") && is_stream("application/x-ndjson") && !is_stream("application/json"));
        assert!(is_event_stream("Text/Event-Stream") && !is_event_stream("application/jsonl"));
        assert_eq!(form_kind("multipart/form-data; boundary=x"), Some(FormKind::Multipart));
        assert_eq!(form_kind("application/x-www-form-urlencoded"), Some(FormKind::UrlEncoded));
        assert!(is_binary("image/png") && is_binary("application/octet-stream"));
        assert!(!is_binary("text/plain") && !is_binary("*/*") && !is_binary("application/hal+json"));
    }
}
