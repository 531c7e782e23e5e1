//! Meeting tokens (server only). Claims follow Jitsi's own checks (`token/util.lib.lua`) and the
//! JaaS format: header `typ: JWT` (+ `kid` for JaaS), `iss`, `aud`, `sub`, lowercase `room`
//! (never `*`), `nbf` 30 s in the past (Prosody allows no clock skew), a short `exp`, and
//! `context.user`. Whether the holder moderates is decided by the caller's `moderation`
//! capability and nothing the browser sends.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use super::model::{ModerationRule, ServerKind};

/// Everything a token says, decided on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub kind: ServerKind,
    pub app_id: String,
    /// The XMPP domain (`sub` of a self-hosted server).
    pub domain: String,
    pub rule: ModerationRule,
    pub room: String,
    /// Aula's user id (or a guest id), as a string: it comes back in IFrame `userContext`.
    pub user_id: String,
    pub name: String,
    pub email: Option<String>,
    pub avatar: Option<String>,
    pub moderator: bool,
    /// Recording and streaming features (JaaS), for holders of `record`.
    pub can_record: bool,
    pub now: i64,
    pub ttl_secs: i64,
}

/// The claims for one server type. Pure, so every rule is unit-tested.
pub fn claims(r: &TokenRequest) -> Value {
    let room = r.room.to_lowercase();
    let flag = |b: bool| if b { "true" } else { "false" };
    let mut user = json!({
        "id": r.user_id,
        "name": r.name,
        "affiliation": if r.moderator { "owner" } else { "member" },
    });
    if let Some(e) = &r.email {
        user["email"] = json!(e);
    }
    if let Some(a) = &r.avatar {
        user["avatar"] = json!(a);
    }
    match r.kind {
        ServerKind::Jaas => {
            // JaaS reads the string "true"/"false"; absent means not a moderator.
            user["moderator"] = json!(flag(r.moderator));
            json!({
                "iss": "chat",
                "aud": "jitsi",
                "sub": r.app_id,
                "room": room,
                "nbf": r.now - 30,
                "exp": r.now + r.ttl_secs,
                "context": {
                    "user": user,
                    "features": {
                        "livestreaming": flag(r.moderator && r.can_record),
                        "recording": flag(r.moderator && r.can_record),
                        "transcription": "false",
                        "outbound-call": "false",
                        "sip-outbound-call": "false",
                    },
                },
            })
        }
        // BigBlueButton never gets a Jitsi token (its join URL is signed instead).
        ServerKind::Jwt | ServerKind::Public | ServerKind::Bbb => {
            if r.moderator {
                // token_affiliation also honours context.user.moderator.
                user["moderator"] = json!("true");
            }
            let mut c = json!({
                "iss": r.app_id,
                "aud": "jitsi",
                "sub": r.domain,
                "room": room,
                "nbf": r.now - 30,
                "exp": r.now + r.ttl_secs,
                "context": { "user": user },
            });
            // The older token_moderation plugin reads a top-level JSON boolean, and only `true`.
            if r.rule == ModerationRule::ModeratorClaim && r.moderator {
                c["moderator"] = json!(true);
            }
            c
        }
    }
}

/// What signs a token.
pub enum SigningKey {
    /// Self-hosted: the shared `app_secret`.
    Hs256(Vec<u8>),
    /// JaaS: the RSA private key (PEM) and its key id.
    Rs256 { pem: String, kid: String },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the private key is not an RSA private key in PEM format")]
    BadKey,
    #[error("signing failed")]
    Sign,
}

pub fn mint(r: &TokenRequest, key: &SigningKey) -> Result<String, TokenError> {
    let body = claims(r);
    match key {
        SigningKey::Hs256(secret) => encode(
            &Header::new(Algorithm::HS256),
            &body,
            &EncodingKey::from_secret(secret),
        )
        .map_err(|_| TokenError::Sign),
        SigningKey::Rs256 { pem, kid } => {
            let k = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| TokenError::BadKey)?;
            let mut h = Header::new(Algorithm::RS256);
            h.kid = Some(kid.clone());
            encode(&h, &body, &k).map_err(|_| TokenError::Sign)
        }
    }
}

/// Refuses, at save time, a PEM that is not an RSA private key (a public key, an EC key, junk).
/// The PEM is only fully parsed when something is signed, so sign a throwaway token.
pub fn check_private_key(pem: &str) -> Result<(), TokenError> {
    let key = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| TokenError::BadKey)?;
    encode(
        &Header::new(Algorithm::RS256),
        &json!({ "check": true }),
        &key,
    )
    .map(|_| ())
    .map_err(|_| TokenError::BadKey)
}

#[cfg(test)]
pub(crate) mod tests {
    use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};

    use super::*;

    /// A 2048-bit test key, generated for these tests only.
    pub const TEST_RSA_PRIVATE: &str = include_str!("test_rsa_private.pem");
    const TEST_RSA_PUBLIC: &str = include_str!("test_rsa_public.pem");

    fn req(kind: ServerKind, moderator: bool) -> TokenRequest {
        TokenRequest {
            kind,
            app_id: match kind {
                ServerKind::Jaas => "vpaas-magic-cookie-0123456789abcdef0123456789abcdef".into(),
                _ => "aula".into(),
            },
            domain: "meet.uni.example".into(),
            rule: ModerationRule::Affiliation,
            room: "Physics-Lecture-AB12".into(),
            user_id: "42".into(),
            name: "Tomás Teacher".into(),
            email: Some("tomas@uni.example".into()),
            avatar: None,
            moderator,
            can_record: true,
            now: 1_800_000_000,
            ttl_secs: 120,
        }
    }

    #[test]
    fn claims_per_server_type_and_role() {
        struct Case {
            kind: ServerKind,
            rule: ModerationRule,
            moderator: bool,
            expect: Value,
        }
        let cases = [
            Case {
                kind: ServerKind::Jwt,
                rule: ModerationRule::Affiliation,
                moderator: true,
                expect: json!({"iss":"aula","sub":"meet.uni.example","affiliation":"owner","ctx_moderator":"true","top_moderator":null}),
            },
            Case {
                kind: ServerKind::Jwt,
                rule: ModerationRule::Affiliation,
                moderator: false,
                expect: json!({"iss":"aula","sub":"meet.uni.example","affiliation":"member","ctx_moderator":null,"top_moderator":null}),
            },
            Case {
                kind: ServerKind::Jwt,
                rule: ModerationRule::ModeratorClaim,
                moderator: true,
                expect: json!({"iss":"aula","sub":"meet.uni.example","affiliation":"owner","ctx_moderator":"true","top_moderator":true}),
            },
            Case {
                kind: ServerKind::Jwt,
                rule: ModerationRule::ModeratorClaim,
                moderator: false,
                expect: json!({"iss":"aula","sub":"meet.uni.example","affiliation":"member","ctx_moderator":null,"top_moderator":null}),
            },
            Case {
                kind: ServerKind::Jaas,
                rule: ModerationRule::Affiliation,
                moderator: true,
                expect: json!({"iss":"chat","sub":"vpaas-magic-cookie-0123456789abcdef0123456789abcdef","affiliation":"owner","ctx_moderator":"true","top_moderator":null}),
            },
            Case {
                kind: ServerKind::Jaas,
                rule: ModerationRule::Affiliation,
                moderator: false,
                expect: json!({"iss":"chat","sub":"vpaas-magic-cookie-0123456789abcdef0123456789abcdef","affiliation":"member","ctx_moderator":"false","top_moderator":null}),
            },
        ];
        for c in cases {
            let mut r = req(c.kind, c.moderator);
            r.rule = c.rule;
            let got = claims(&r);
            let summary = json!({
                "iss": got["iss"], "sub": got["sub"],
                "affiliation": got["context"]["user"]["affiliation"],
                "ctx_moderator": got["context"]["user"]["moderator"],
                "top_moderator": got["moderator"],
            });
            assert_eq!(
                summary, c.expect,
                "{:?} {:?} moderator={}",
                c.kind, c.rule, c.moderator
            );
            assert_eq!(got["aud"], json!("jitsi"));
            assert_eq!(
                got["room"],
                json!("physics-lecture-ab12"),
                "lowercase, never *"
            );
            assert_eq!(got["nbf"], json!(1_800_000_000 - 30));
            assert_eq!(got["exp"], json!(1_800_000_000 + 120));
            assert_eq!(got["context"]["user"]["id"], json!("42"));
            assert_eq!(got["context"]["user"]["email"], json!("tomas@uni.example"));
        }
    }

    #[test]
    fn jaas_recording_features_follow_the_record_capability_and_moderation() {
        let mut r = req(ServerKind::Jaas, true);
        assert_eq!(
            claims(&r)["context"]["features"]["recording"],
            json!("true")
        );
        r.can_record = false;
        assert_eq!(
            claims(&r)["context"]["features"]["livestreaming"],
            json!("false")
        );
        let student = req(ServerKind::Jaas, false);
        assert_eq!(
            claims(&student)["context"]["features"]["recording"],
            json!("false")
        );
        assert!(claims(&req(ServerKind::Jwt, true))["context"]["features"].is_null());
    }

    fn validation(alg: Algorithm, iss: &str) -> Validation {
        let mut v = Validation::new(alg);
        v.set_audience(&["jitsi"]);
        v.set_issuer(&[iss]);
        // The fixed `now` of the tests is in the future of the real clock.
        v.validate_exp = false;
        v.validate_nbf = false;
        v
    }

    #[test]
    fn an_hs256_token_verifies_with_the_shared_secret_only() {
        let r = req(ServerKind::Jwt, false);
        let t = mint(&r, &SigningKey::Hs256(b"0123456789abcdef-secret".to_vec())).unwrap();
        let h = decode_header(&t).unwrap();
        assert_eq!(
            (h.alg, h.typ.as_deref(), h.kid),
            (Algorithm::HS256, Some("JWT"), None)
        );
        let ok = decode::<Value>(
            &t,
            &DecodingKey::from_secret(b"0123456789abcdef-secret"),
            &validation(Algorithm::HS256, "aula"),
        )
        .unwrap();
        assert_eq!(ok.claims["context"]["user"]["name"], json!("Tomás Teacher"));
        assert!(
            decode::<Value>(
                &t,
                &DecodingKey::from_secret(b"another-secret-value"),
                &validation(Algorithm::HS256, "aula")
            )
            .is_err()
        );
    }

    #[test]
    fn a_jaas_token_is_rs256_with_the_key_id_and_verifies_with_the_public_key() {
        let r = req(ServerKind::Jaas, true);
        let kid = format!("{}/4f4910", r.app_id);
        let t = mint(
            &r,
            &SigningKey::Rs256 {
                pem: TEST_RSA_PRIVATE.into(),
                kid: kid.clone(),
            },
        )
        .unwrap();
        let h = decode_header(&t).unwrap();
        assert_eq!(h.alg, Algorithm::RS256);
        assert_eq!(h.typ.as_deref(), Some("JWT"));
        assert_eq!(h.kid.as_deref(), Some(kid.as_str()));
        let key = DecodingKey::from_rsa_pem(TEST_RSA_PUBLIC.as_bytes()).unwrap();
        let ok = decode::<Value>(&t, &key, &validation(Algorithm::RS256, "chat")).unwrap();
        assert_eq!(ok.claims["sub"], json!(r.app_id));
    }

    #[test]
    fn public_keys_and_junk_are_not_private_keys() {
        assert_eq!(check_private_key(TEST_RSA_PRIVATE), Ok(()));
        assert_eq!(check_private_key(TEST_RSA_PUBLIC), Err(TokenError::BadKey));
        assert_eq!(
            check_private_key("-----BEGIN nothing"),
            Err(TokenError::BadKey)
        );
    }
}
