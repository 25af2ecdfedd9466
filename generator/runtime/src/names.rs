//! Rules on names that the generator and the runtime must judge alike, in one copy: the
//! generator (`apigen`) depends on this crate for them, so that a name it writes is one the
//! runtime reads.

/// Whether `name` can be an XML element's or attribute's local name: an `NCName`,
/// approximately (letters, digits, `_`, `-` and `.`, starting with a letter or `_`; no colon).
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_alphabetic() || first == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_names() {
        assert!(is_xml_name("billing_address"));
        assert!(is_xml_name("Pet.Category-2"));
        assert!(is_xml_name("\u{e9}"));
        assert!(!is_xml_name("##default"));
        assert!(!is_xml_name("p:name"));
        assert!(!is_xml_name("2fa"));
        assert!(!is_xml_name(""));
    }
}
