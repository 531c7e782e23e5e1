//! How failed logins are slowed down (server only), without locking anyone out.
//!
//! Every failure makes the next attempt under the same keys wait a little longer (exponential
//! back-off after some free failures), counted in the database so all replicas agree:
//!
//! - A browser that has signed in to this account before carries a signed *device cookie*
//!   (OWASP's "device cookies"); its attempts count against that device only. Nobody else can
//!   slow it down, so guessing at someone's account never keeps them out.
//! - Any other attempt counts against the account (untrusted clients together) and against the
//!   client's IP. The IP allows many free failures, so a classroom behind one address typing
//!   passwords wrong does not hold up the rest, and its longest wait is a minute.
//!
//! A correct password is never refused for failures of others: once the wait has passed it
//! signs in, however many failures came before.

use hmac::{Hmac, Mac, digest::KeyInit};
use rand::RngCore;
use sea_orm::{ConnectionTrait, DbErr};
use sha2::{Digest, Sha256};

use crate::throttle::{self, Backoff};

pub const DEVICE_COOKIE: &str = "aula_device";
/// A device cookie lasts a year; every sign-in renews it.
pub const DEVICE_MAX_AGE_SECS: i64 = 365 * 86_400;

/// The back-off per key kind, from the site's settings.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub account: Backoff,
    pub device: Backoff,
    pub ip: Backoff,
}

impl Policy {
    pub fn new(free_failures: u32, window_ms: i64) -> Self {
        let b = |free, max_ms| Backoff {
            free,
            base_ms: 1_000,
            max_ms,
            window_ms,
        };
        Self {
            account: b(free_failures, 120_000),
            device: b(free_failures, 60_000),
            ip: b(free_failures.saturating_mul(3), 60_000),
        }
    }
}

/// Who is trying: a device that signed in to this account before, or anyone else (by IP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    Known { device: String },
    Unknown { ip: String },
}

/// The counters an attempt is checked against and, if it fails, counted against.
pub fn keys(email: &str, client: &Client, p: &Policy) -> Vec<(String, Backoff)> {
    match client {
        Client::Known { device } => vec![(format!("login-dev:{device}"), p.device)],
        Client::Unknown { ip } => vec![
            (format!("login-acct:{}", account_key(email)), p.account),
            (format!("login-ip:{ip}"), p.ip),
        ],
    }
}

/// Attempted addresses are kept hashed: a typo in someone's address is nobody's business.
fn account_key(email: &str) -> String {
    hex::encode(&Sha256::digest(email.trim().to_lowercase().as_bytes())[..16])
}

/// How long the attempt must still wait (0: go ahead).
pub async fn wait_ms(
    db: &impl ConnectionTrait,
    keys: &[(String, Backoff)],
    now_ms: i64,
) -> Result<i64, DbErr> {
    let mut wait = 0;
    for (key, b) in keys {
        let c = throttle::count(db, key, b.window_ms, now_ms).await?;
        wait = wait.max(b.wait_ms(c, now_ms));
    }
    Ok(wait)
}

pub async fn failed(
    db: &impl ConnectionTrait,
    keys: &[(String, Backoff)],
    now_ms: i64,
) -> Result<(), DbErr> {
    for (key, b) in keys {
        throttle::hit(db, key, b.window_ms, now_ms).await?;
    }
    Ok(())
}

/// A correct password forgets the account's and the device's failures; the IP's are left to
/// expire, so one valid account does not reset a guesser's address.
pub async fn succeeded(db: &impl ConnectionTrait, keys: &[(String, Backoff)]) -> Result<(), DbErr> {
    for (key, _) in keys.iter().filter(|(k, _)| !k.starts_with("login-ip:")) {
        throttle::clear(db, key).await?;
    }
    Ok(())
}

fn mac(key: &[u8; 32], body: &str) -> String {
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(key);
    let mut m = <Hmac<Sha256> as KeyInit>::new(&k.into());
    m.update(body.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// A new device cookie value for a browser that just signed in as `user_id`:
/// `user.device.mac`, the MAC keyed with the server's device key.
pub fn new_device_cookie(key: &[u8; 32], user_id: i32) -> String {
    let mut id = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut id);
    let body = format!("{user_id}.{}", hex::encode(id));
    let tag = mac(key, &body);
    format!("{body}.{tag}")
}

/// The device id in a cookie, if the cookie is genuine and was given for this account.
pub fn device_of(key: &[u8; 32], cookie: &str, user_id: i32) -> Option<String> {
    let (body, tag) = cookie.rsplit_once('.')?;
    let (user, device) = body.split_once('.')?;
    let expected = mac(key, body);
    let genuine = expected.len() == tag.len()
        && expected
            .bytes()
            .zip(tag.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    (genuine && user.parse::<i32>().ok()? == user_id && device.len() == 32)
        .then(|| device.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn a_device_cookie_is_good_for_its_account_only() {
        let c = new_device_cookie(&KEY, 12);
        let device = device_of(&KEY, &c, 12).expect("genuine");
        assert_eq!(device.len(), 32);
        assert_eq!(device_of(&KEY, &c, 13), None, "another account");
        assert_eq!(device_of(&[8; 32], &c, 12), None, "another server's key");
    }

    #[test]
    fn a_forged_or_altered_device_cookie_is_refused() {
        let c = new_device_cookie(&KEY, 12);
        let altered = c.replacen("12.", "13.", 1);
        assert_eq!(device_of(&KEY, &altered, 13), None);
        for bad in [
            "",
            "12",
            "12.abc",
            "12.abc.def",
            "..",
            "12..",
            &c[..c.len() - 1],
        ] {
            assert_eq!(device_of(&KEY, bad, 12), None, "{bad:?}");
        }
    }

    #[test]
    fn known_devices_count_alone_and_others_count_against_account_and_ip() {
        let p = Policy::new(10, 900_000);
        let known = keys("Ana@X.org", &Client::Known { device: "d".into() }, &p);
        assert_eq!(known.len(), 1);
        assert!(known[0].0.starts_with("login-dev:"));
        let other = keys(
            "ana@x.org",
            &Client::Unknown {
                ip: "203.0.113.7".into(),
            },
            &p,
        );
        assert_eq!(other[1].0, "login-ip:203.0.113.7");
        let again = keys(
            " ANA@x.org",
            &Client::Unknown {
                ip: "198.51.100.1".into(),
            },
            &p,
        );
        assert_eq!(other[0].0, again[0].0, "one key per account, however typed");
        assert!(!other[0].0.contains("ana"), "addresses are hashed");
    }

    #[test]
    fn an_ip_allows_three_times_the_free_failures_of_an_account() {
        let p = Policy::new(10, 900_000);
        assert_eq!(p.ip.delay_ms(29), 0);
        assert!(p.ip.delay_ms(30) > 0);
        assert!(p.account.delay_ms(10) > 0);
        assert_eq!(
            p.ip.delay_ms(100),
            60_000,
            "at most a minute for a classroom"
        );
    }
}
