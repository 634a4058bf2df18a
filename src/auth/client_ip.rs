//! The client's address, as the audit log and the sign-in throttle see it.
//!
//! Behind the trust's load balancer every connection comes from the
//! balancer, so the device's address is in `Forwarded` (RFC 7239) or
//! `X-Forwarded-For`. Those headers are believed only from a peer listed in
//! `PEERLOG_TRUSTED_PROXIES`, and only as far back as the chain is made of
//! trusted proxies: the right-most address that is not a trusted proxy is
//! the client. Anyone else's headers are ignored, so a client cannot choose
//! its own address (and with it its own throttle).

use std::net::IpAddr;

use actix_web::HttpRequest;

use crate::config::IpNet;

/// The address of the client that sent this request.
pub fn of(req: &HttpRequest, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    // The chain, nearest hop last: Forwarded if present, else X-Forwarded-For.
    let chain = forwarded_chain(req).unwrap_or_else(|| x_forwarded_for_chain(req));
    let mut client = peer;
    for hop in chain.iter().rev() {
        match hop {
            Some(ip) => {
                client = *ip;
                if !is_trusted(*ip) {
                    return Some(client);
                }
            }
            // An unparseable or obfuscated hop: stop at the last address known.
            None => return Some(client),
        }
    }
    Some(client)
}

fn header_values<'a>(req: &'a HttpRequest, name: &str) -> Vec<&'a str> {
    req.headers()
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .collect()
}

fn x_forwarded_for_chain(req: &HttpRequest) -> Vec<Option<IpAddr>> {
    header_values(req, "x-forwarded-for")
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(|hop| parse_hop(hop.trim()))
        .collect()
}

fn forwarded_chain(req: &HttpRequest) -> Option<Vec<Option<IpAddr>>> {
    let values = header_values(req, "forwarded");
    if values.is_empty() {
        return None;
    }
    let chain = values
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| parse_hop(v.trim().trim_matches('"')))
        })
        .collect();
    Some(chain)
}

/// An address with an optional port: `10.0.0.1`, `10.0.0.1:4711`,
/// `[2001:db8::1]:4711`, `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    hop.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip_of(peer: &str, headers: &[(&str, &str)], trusted: &[&str]) -> String {
        let mut req = TestRequest::default().peer_addr(format!("{peer}:5000").parse().unwrap());
        for (k, v) in headers {
            req = req.append_header((*k, *v));
        }
        of(&req.to_http_request(), &nets(trusted))
            .unwrap()
            .to_string()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let xff = [("x-forwarded-for", "1.2.3.4")];
        assert_eq!(ip_of("203.0.113.9", &xff, &[]), "203.0.113.9");
        assert_eq!(ip_of("203.0.113.9", &xff, &["10.0.0.0/8"]), "203.0.113.9");
        let fwd = [("forwarded", "for=1.2.3.4")];
        assert_eq!(ip_of("203.0.113.9", &fwd, &["10.0.0.0/8"]), "203.0.113.9");
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = ["10.0.0.0/8"];
        // The client forged a first entry; the balancer appended the real one.
        let xff = [("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.3")];
        assert_eq!(ip_of("10.0.0.2", &xff, &trusted), "198.51.100.7");
        let fwd = [(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https"#,
        )];
        assert_eq!(ip_of("10.0.0.2", &fwd, &trusted), "2001:db8::7");
        // Nothing forwarded: the proxy itself.
        assert_eq!(ip_of("10.0.0.2", &[], &trusted), "10.0.0.2");
        // An obfuscated hop: the nearest known address.
        let hidden = [("forwarded", "for=_hidden")];
        assert_eq!(ip_of("10.0.0.2", &hidden, &trusted), "10.0.0.2");
    }
}
