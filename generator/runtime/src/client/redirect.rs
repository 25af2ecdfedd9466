//! Which redirects are followed, and how a URL is shown in errors.
//!
//! A redirect is followed only when all of these hold: the request has no body, the
//! `Location` resolves to the same origin as the request (scheme, host and port: `localhost`
//! and `127.0.0.1` are different hosts, and `https` to `http` is a different scheme), and
//! fewer than [`Config::max_redirects`](super::Config::max_redirects) have been followed.
//! Otherwise the `3xx` is the response. So a credential (header, query or cookie) and a body
//! never reach another origin, and a body is never sent twice. No `Referer` is sent.

use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode, Url};

use super::HeaderMap;

/// Where a response redirects to, and with which method, if this runtime follows it.
pub(super) fn follow(
    status: StatusCode,
    headers: &HeaderMap,
    from: &Url,
    method: &Method,
    has_body: bool,
) -> Option<(Url, Method)> {
    if has_body {
        return None;
    }
    let method = match status {
        // See Other: the target is fetched with GET (HEAD stays HEAD).
        StatusCode::SEE_OTHER if *method != Method::HEAD => Method::GET,
        StatusCode::MOVED_PERMANENTLY
        | StatusCode::FOUND
        | StatusCode::SEE_OTHER
        | StatusCode::TEMPORARY_REDIRECT
        | StatusCode::PERMANENT_REDIRECT => method.clone(),
        _ => return None,
    };
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let target = from.join(location).ok()?;
    same_origin(from, &target).then_some((target, method))
}

/// Same scheme, host and port (the scheme's default where none is written).
pub(super) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// `url` for an error message: the values of the query pairs named in `secret` replaced by
/// `[redacted]`, and any user name or password in it left out.
pub(crate) fn shown(url: &Url, secret: &[&str]) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if !secret.is_empty() && url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret.contains(&name.as_ref()) { "[redacted]".to_owned() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(to: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, to.parse().unwrap());
        headers
    }

    #[test]
    fn only_same_origin_redirects_without_a_body_are_followed() {
        let from = Url::parse("https://api.example.com/v2/customers?x=1").unwrap();
        let get = Method::GET;
        let to = |status: u16, target: &str, method: &Method, body: bool| {
            follow(StatusCode::from_u16(status).unwrap(), &location(target), &from, method, body)
                .map(|(url, m)| (url.to_string(), m))
        };
        assert_eq!(
            to(302, "/v2/other", &get, false),
            Some(("https://api.example.com/v2/other".to_owned(), Method::GET))
        );
        assert_eq!(
            to(307, "https://api.example.com:443/a", &Method::DELETE, false),
            Some(("https://api.example.com/a".to_owned(), Method::DELETE))
        );
        assert_eq!(
            to(303, "/done", &Method::POST, false),
            Some(("https://api.example.com/done".to_owned(), Method::GET))
        );
        // Another host, port or scheme, a body, or not a redirect: not followed.
        assert_eq!(to(302, "https://evil.example.com/v2", &get, false), None);
        assert_eq!(to(302, "https://api.example.com:8443/v2", &get, false), None);
        assert_eq!(to(301, "http://api.example.com/v2", &get, false), None);
        assert_eq!(to(308, "/v2/other", &Method::POST, true), None);
        assert_eq!(to(300, "/v2/other", &get, false), None);
        assert_eq!(to(304, "/v2/other", &get, false), None);
    }

    #[test]
    fn secrets_in_a_shown_url_are_redacted() {
        let url = Url::parse("http://user:pw@127.0.0.1:8080/a?site=1&api_key=sk_live&b=c%20d").unwrap();
        assert_eq!(shown(&url, &["api_key"]), "http://127.0.0.1:8080/a?site=1&api_key=%5Bredacted%5D&b=c+d");
        assert_eq!(shown(&url, &[]), "http://127.0.0.1:8080/a?site=1&api_key=sk_live&b=c%20d");
    }
}
