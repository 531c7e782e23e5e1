//! The client's IP address, for rate limits (server only). Behind a reverse proxy every request
//! comes from the proxy, so the client is named in `X-Forwarded-For`, but anyone can send that
//! header: it is read only when the connection comes from a configured trusted proxy, and then
//! from the right (the hop the proxy itself added), skipping further trusted proxies, so a
//! client cannot pick its own address by prepending entries.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address rate limits should count: the TCP peer, unless it is a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // Only the client can have written garbage: the nearest hop we trust is the answer.
            return nearest;
        };
        if !is_trusted(&ip) {
            return ip;
        }
        nearest = ip;
    }
    nearest
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

/// Parses the `trusted_proxies` setting: addresses or CIDR blocks.
pub fn parse_trusted(list: &[String]) -> Result<Vec<IpNet>, String> {
    list.iter()
        .map(|s| {
            let s = s.trim();
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("trusted_proxies: {s:?} is not an IP address or CIDR block"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> Vec<IpNet> {
        parse_trusted(&["10.0.0.0/8".into(), "2001:db8:ffff::1".into()]).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let h = headers(&["198.51.100.9"]);
        assert_eq!(client_ip(ip("203.0.113.7"), &h, &[]), ip("203.0.113.7"));
        assert_eq!(
            client_ip(ip("203.0.113.7"), &h, &proxies()),
            ip("203.0.113.7"),
            "a client that is not a proxy cannot name another address"
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_hop_it_added_is_the_client() {
        let h = headers(&["198.51.100.9"]);
        assert_eq!(
            client_ip(ip("10.1.2.3"), &h, &proxies()),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn entries_a_client_prepends_are_not_believed() {
        // The client sent "1.1.1.1"; the proxy appended the real address.
        let h = headers(&["1.1.1.1, 198.51.100.9"]);
        assert_eq!(
            client_ip(ip("10.1.2.3"), &h, &proxies()),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked_from_the_right() {
        let h = headers(&["198.51.100.9, 10.9.9.9", "2001:db8:ffff::1"]);
        assert_eq!(
            client_ip(ip("10.1.2.3"), &h, &proxies()),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn ports_and_brackets_are_understood_and_garbage_stops_the_walk() {
        let h = headers(&["[2001:db8::5]:4711"]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &proxies()), ip("2001:db8::5"));
        let h = headers(&["198.51.100.9:80"]);
        assert_eq!(
            client_ip(ip("10.1.2.3"), &h, &proxies()),
            ip("198.51.100.9")
        );
        let h = headers(&["not-an-ip"]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &proxies()), ip("10.1.2.3"));
        let h = headers(&[]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &proxies()), ip("10.1.2.3"));
    }

    #[test]
    fn bad_proxy_settings_are_refused() {
        assert!(parse_trusted(&["10.0.0.0/33".into()]).is_err());
        assert!(parse_trusted(&["proxy.example".into()]).is_err());
    }
}
