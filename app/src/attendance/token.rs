//! Attendance session tokens (server only). Issued when a tab joins the conference and sent back
//! with every heartbeat, a token names the session, its owner, its activity and its clock anchor,
//! signed with HMAC-SHA256. Verifying one needs no database read, which keeps the heartbeat path
//! to a single batched write; the owner is still checked against the caller's cookie.

use hmac::{Hmac, Mac, digest::KeyInit};
use sha2::Sha256;

use super::beat::Anchor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionToken {
    pub session_id: i32,
    pub user_id: i32,
    pub activity_id: i32,
    pub anchor: Anchor,
}

pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(<redacted>)")
    }
}

const VERSION: &str = "a1";

impl TokenKey {
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut key = [0u8; 64];
        key[..32].copy_from_slice(&self.0);
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&key.into());
        mac.update(body.as_bytes());
        mac
    }

    pub fn sign(&self, t: &SessionToken) -> String {
        let body = format!(
            "{VERSION}.{}.{}.{}.{}.{}",
            t.session_id, t.user_id, t.activity_id, t.anchor.server_ms, t.anchor.client_ms
        );
        let tag = hex::encode(self.mac(&body).finalize().into_bytes());
        format!("{body}.{tag}")
    }

    /// The token's contents if it is well formed and was signed with this key.
    pub fn verify(&self, token: &str) -> Option<SessionToken> {
        if token.len() > 200 {
            return None;
        }
        let (body, tag) = token.rsplit_once('.')?;
        let tag = hex::decode(tag).ok()?;
        // Constant-time comparison.
        self.mac(body).verify_slice(&tag).ok()?;
        let mut parts = body.split('.');
        if parts.next()? != VERSION {
            return None;
        }
        let mut next = || parts.next()?.parse::<i64>().ok();
        let t = SessionToken {
            session_id: i32::try_from(next()?).ok()?,
            user_id: i32::try_from(next()?).ok()?,
            activity_id: i32::try_from(next()?).ok()?,
            anchor: Anchor {
                server_ms: next()?,
                client_ms: next()?,
            },
        };
        parts.next().is_none().then_some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SessionToken {
        SessionToken {
            session_id: 7,
            user_id: 3,
            activity_id: 11,
            anchor: Anchor {
                server_ms: 1_700_000_000_000,
                client_ms: -5,
            },
        }
    }

    #[test]
    fn a_signed_token_verifies_to_the_same_contents() {
        let k = TokenKey::new([1; 32]);
        assert_eq!(k.verify(&k.sign(&sample())), Some(sample()));
    }

    #[test]
    fn a_token_changed_in_any_way_or_signed_with_another_key_is_refused() {
        let k = TokenKey::new([1; 32]);
        let t = k.sign(&sample());
        assert_eq!(TokenKey::new([2; 32]).verify(&t), None);
        assert_eq!(k.verify(&t.replacen(".3.", ".4.", 1)), None);
        assert_eq!(k.verify(&format!("{t}0")), None);
        assert_eq!(k.verify("a1.1.2.3.4.5.zz"), None);
        assert_eq!(k.verify(""), None);
    }
}
