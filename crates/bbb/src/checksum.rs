//! BigBlueButton's API checksum: `hex(H(callName + queryString + sharedSecret))`, over exactly
//! the bytes of the query string that is sent (the server hashes the raw query, so re-encoding
//! a parameter differently breaks the check).

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The hash a server accepts; BBB infers it from the checksum's length (40, 64, 96, 128 hex).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ChecksumAlgo {
    Sha1,
    #[default]
    Sha256,
    Sha384,
    Sha512,
}

impl ChecksumAlgo {
    pub const ALL: [ChecksumAlgo; 4] = [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The algorithm a received checksum was made with, judged by its length as BBB does.
    pub fn of_checksum(hex: &str) -> Option<Self> {
        match hex.len() {
            40 => Some(Self::Sha1),
            64 => Some(Self::Sha256),
            96 => Some(Self::Sha384),
            128 => Some(Self::Sha512),
            _ => None,
        }
    }
}

fn digest_hex<D: Digest>(parts: &[&[u8]]) -> String {
    let mut d = D::new();
    for p in parts {
        d.update(p);
    }
    hex::encode(d.finalize())
}

/// The checksum of one call with its (already encoded) query string.
pub fn checksum(algo: ChecksumAlgo, call: &str, query: &str, secret: &str) -> String {
    let parts: [&[u8]; 3] = [call.as_bytes(), query.as_bytes(), secret.as_bytes()];
    match algo {
        ChecksumAlgo::Sha1 => digest_hex::<Sha1>(&parts),
        ChecksumAlgo::Sha256 => digest_hex::<Sha256>(&parts),
        ChecksumAlgo::Sha384 => digest_hex::<Sha384>(&parts),
        ChecksumAlgo::Sha512 => digest_hex::<Sha512>(&parts),
    }
}

/// Encodes the parameters in order (`application/x-www-form-urlencoded`, spaces as `+`).
pub fn encode_query(params: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The query string to send: the parameters, then `checksum=` over exactly those bytes.
pub fn signed_query(
    algo: ChecksumAlgo,
    call: &str,
    params: &[(&str, String)],
    secret: &str,
) -> String {
    let query = encode_query(params);
    let sum = checksum(algo, call, &query, secret);
    if query.is_empty() {
        format!("checksum={sum}")
    } else {
        format!("{query}&checksum={sum}")
    }
}

/// Verifies a raw query string received for `call` (what a BBB server, or our mock, does): the
/// checksum parameter is cut out of the raw bytes, never re-encoded.
pub fn verify_raw(call: &str, raw_query: &str, secret: &str, allowed: &[ChecksumAlgo]) -> bool {
    let mut given = None;
    let kept: Vec<&str> = raw_query
        .split('&')
        .filter(|p| match p.strip_prefix("checksum=") {
            Some(v) => {
                given = Some(v);
                false
            }
            None => !p.is_empty(),
        })
        .collect();
    let Some(given) = given else {
        return false;
    };
    let Some(algo) = ChecksumAlgo::of_checksum(given).filter(|a| allowed.contains(a)) else {
        return false;
    };
    checksum(algo, call, &kept.join("&"), secret).eq_ignore_ascii_case(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";
    const QUERY: &str = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444";

    fn doc_params() -> Vec<(&'static str, String)> {
        vec![
            ("name", "Test Meeting".into()),
            ("meetingID", "abc123".into()),
            ("attendeePW", "111222".into()),
            ("moderatorPW", "333444".into()),
        ]
    }

    #[test]
    fn the_documented_create_call_hashes_to_the_documented_checksums() {
        assert_eq!(encode_query(&doc_params()), QUERY);
        assert_eq!(
            checksum(ChecksumAlgo::Sha1, "create", QUERY, SECRET),
            "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
        );
        assert_eq!(
            checksum(ChecksumAlgo::Sha256, "create", QUERY, SECRET),
            "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e"
        );
        let s512 = checksum(ChecksumAlgo::Sha512, "create", QUERY, SECRET);
        assert!(
            s512.starts_with("de73ad61") && s512.ends_with("3cc3988b4"),
            "{s512}"
        );
        assert_eq!(
            checksum(ChecksumAlgo::Sha384, "create", QUERY, SECRET).len(),
            96
        );
    }

    #[test]
    fn a_signed_query_verifies_and_any_change_to_its_bytes_does_not() {
        for algo in ChecksumAlgo::ALL {
            let q = signed_query(algo, "create", &doc_params(), SECRET);
            assert!(
                verify_raw("create", &q, SECRET, &ChecksumAlgo::ALL),
                "{algo:?}"
            );
            assert!(
                !verify_raw("join", &q, SECRET, &ChecksumAlgo::ALL),
                "another call"
            );
            assert!(
                !verify_raw("create", &q, "other", &ChecksumAlgo::ALL),
                "another secret"
            );
            // The same value encoded differently is different bytes.
            let re = q.replace("Test+Meeting", "Test%20Meeting");
            assert!(!verify_raw("create", &re, SECRET, &ChecksumAlgo::ALL));
        }
    }

    #[test]
    fn a_server_refuses_algorithms_it_does_not_allow_and_queries_without_a_checksum() {
        let q = signed_query(ChecksumAlgo::Sha1, "create", &doc_params(), SECRET);
        assert!(!verify_raw("create", &q, SECRET, &[ChecksumAlgo::Sha512]));
        assert!(!verify_raw("create", QUERY, SECRET, &ChecksumAlgo::ALL));
    }

    #[test]
    fn a_call_without_parameters_hashes_the_empty_query() {
        let q = signed_query(ChecksumAlgo::Sha256, "getMeetings", &[], SECRET);
        assert!(q.starts_with("checksum="));
        assert!(verify_raw("getMeetings", &q, SECRET, &ChecksumAlgo::ALL));
        assert_eq!(
            &q["checksum=".len()..],
            checksum(ChecksumAlgo::Sha256, "getMeetings", "", SECRET)
        );
    }

    #[test]
    fn the_algorithm_is_read_from_the_checksum_length() {
        assert_eq!(
            ChecksumAlgo::of_checksum(&"a".repeat(40)),
            Some(ChecksumAlgo::Sha1)
        );
        assert_eq!(
            ChecksumAlgo::of_checksum(&"a".repeat(128)),
            Some(ChecksumAlgo::Sha512)
        );
        assert_eq!(ChecksumAlgo::of_checksum("abc"), None);
        assert_eq!(ChecksumAlgo::parse("sha384"), Some(ChecksumAlgo::Sha384));
    }
}
