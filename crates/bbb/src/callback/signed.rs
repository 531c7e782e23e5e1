//! The two signed callbacks: the recording-ready JWT and the analytics bearer token.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, errors::ErrorKind};
use serde::Deserialize;

use super::CallbackError;

/// BBB's analytics token lives 24 h; a minute of leeway absorbs clock skew between the servers.
const LEEWAY_SECS: i64 = 60;

/// The payload of a verified recording-ready callback.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecordingReady {
    /// The external meetingID Aula gave on `create`.
    pub meeting_id: String,
    /// BBB's recordID (the internal meeting id of that run).
    pub record_id: String,
}

#[derive(Deserialize)]
struct Peek {
    meeting_id: String,
}

#[derive(Deserialize)]
struct Expiring {
    exp: i64,
}

/// The header's `alg`, read before any verification so that `alg: none` (which jsonwebtoken
/// cannot even represent) is refused as unsigned rather than reported as garbage.
fn header_alg(token: &str) -> Result<String, CallbackError> {
    let not_jwt = || CallbackError::Malformed("not a JWT".into());
    let mut parts = token.split('.');
    let (Some(head), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_jwt());
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(head.trim_end_matches('='))
        .map_err(|_| not_jwt())?;
    let header: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| not_jwt())?;
    Ok(header
        .get("alg")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned())
}

/// Checks the header's algorithm against `allowed` and the signature against `secret`, then
/// reads the claims as `T`.
fn verified<T: for<'de> Deserialize<'de>>(
    token: &str,
    secret: &str,
    allowed: &[Algorithm],
    validation: Validation,
) -> Result<T, CallbackError> {
    let alg = header_alg(token)?;
    if !alg.parse::<Algorithm>().is_ok_and(|a| allowed.contains(&a)) {
        return Err(CallbackError::BadSignature);
    }
    // An empty key would let anyone sign; a BBB server always has a secret.
    if secret.is_empty() {
        return Err(CallbackError::BadSignature);
    }
    decode::<T>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map(|data| data.claims)
    .map_err(|e| match e.kind() {
        ErrorKind::InvalidSignature
        | ErrorKind::InvalidAlgorithm
        | ErrorKind::InvalidAlgorithmName
        | ErrorKind::UnsupportedAlgorithm
        | ErrorKind::MissingAlgorithm => CallbackError::BadSignature,
        ErrorKind::ExpiredSignature => CallbackError::Expired,
        ErrorKind::MissingRequiredClaim(claim) => {
            CallbackError::Malformed(format!("the token has no `{claim}` claim"))
        }
        ErrorKind::Json(_) | ErrorKind::InvalidClaimFormat(_) => {
            CallbackError::Malformed("the token's claims are not what BBB sends".into())
        }
        _ => CallbackError::Malformed("not a JWT".into()),
    })
}

/// Verifies `signed_parameters` from a recording-ready POST: HS256 or HS512 with `secret`, and
/// no `exp` required (BBB sends none).
pub fn verify_recording_ready(
    signed_parameters: &str,
    secret: &str,
) -> Result<RecordingReady, CallbackError> {
    const ALLOWED: [Algorithm; 2] = [Algorithm::HS256, Algorithm::HS512];
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = ALLOWED.to_vec();
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    let ready: RecordingReady = verified(signed_parameters.trim(), secret, &ALLOWED, validation)?;
    if ready.meeting_id.is_empty() || ready.record_id.is_empty() {
        return Err(CallbackError::Malformed(
            "the token has an empty meeting_id or record_id".into(),
        ));
    }
    Ok(ready)
}

/// The `meeting_id` inside `signed_parameters`, **unverified**: only a key to find which BBB
/// server (hence which secret) to verify the token with. Never trust it for anything else.
pub fn peek_meeting_id(signed_parameters: &str) -> Option<String> {
    jsonwebtoken::dangerous::insecure_decode_claims::<Peek>(signed_parameters.trim())
        .ok()
        .map(|p| p.meeting_id)
        .filter(|id| !id.is_empty())
}

/// Verifies the analytics callback's `Authorization` header: `Bearer <JWT>`, HS512 only, with an
/// `exp` that has not passed at `now` (Unix seconds).
pub fn verify_analytics_bearer(
    authorization_header: &str,
    secret: &str,
    now: i64,
) -> Result<(), CallbackError> {
    let header = authorization_header.trim();
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| CallbackError::Malformed("no Bearer token".into()))?;
    let mut validation = Validation::new(Algorithm::HS512);
    // `exp` must be present; it is compared with the caller's `now` below, not the system clock.
    validation.set_required_spec_claims(&["exp"]);
    validation.validate_exp = false;
    validation.validate_aud = false;
    let claims: Expiring = verified(token, secret, &[Algorithm::HS512], validation)?;
    if claims.exp + LEEWAY_SECS < now {
        return Err(CallbackError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const SECRET: &str = "bbb-shared-secret";
    const NOW: i64 = 1_780_000_000;

    fn sign(alg: Algorithm, claims: &serde_json::Value, secret: &str) -> String {
        encode(
            &Header::new(alg),
            claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("sign")
    }

    fn ready_claims() -> serde_json::Value {
        json!({"meeting_id": "aula-m-7", "record_id": "f0e1d2-1780000000000"})
    }

    /// A token with the given raw header and payload and no signature, as an attacker would send.
    fn unsigned(header: &serde_json::Value, claims: &serde_json::Value) -> String {
        format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    #[test]
    fn a_recording_ready_token_signed_hs256_without_exp_verifies() {
        let token = sign(Algorithm::HS256, &ready_claims(), SECRET);
        let ready = verify_recording_ready(&token, SECRET).expect("verified");
        assert_eq!(ready.meeting_id, "aula-m-7");
        assert_eq!(ready.record_id, "f0e1d2-1780000000000");
    }

    #[test]
    fn a_recording_ready_token_signed_hs512_by_scalelite_verifies() {
        let token = sign(Algorithm::HS512, &ready_claims(), SECRET);
        assert!(verify_recording_ready(&format!(" {token}\n"), SECRET).is_ok());
    }

    #[test]
    fn a_recording_ready_token_signed_with_another_secret_is_a_bad_signature() {
        let token = sign(Algorithm::HS256, &ready_claims(), "someone-else");
        assert_eq!(
            verify_recording_ready(&token, SECRET),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(
            verify_recording_ready(&sign(Algorithm::HS256, &ready_claims(), SECRET), ""),
            Err(CallbackError::BadSignature)
        );
    }

    #[test]
    fn an_unsigned_or_other_algorithm_token_is_a_bad_signature() {
        let none = unsigned(&json!({"alg": "none", "typ": "JWT"}), &ready_claims());
        assert_eq!(
            verify_recording_ready(&none, SECRET),
            Err(CallbackError::BadSignature)
        );
        // An HS384 token is valid HMAC, but not something BBB or Scalelite ever sends.
        let hs384 = sign(Algorithm::HS384, &ready_claims(), SECRET);
        assert_eq!(
            verify_recording_ready(&hs384, SECRET),
            Err(CallbackError::BadSignature)
        );
        let rs256 = unsigned(&json!({"alg": "RS256"}), &ready_claims());
        assert_eq!(
            verify_recording_ready(&format!("{rs256}c2ln"), SECRET),
            Err(CallbackError::BadSignature)
        );
    }

    #[test]
    fn a_recording_ready_token_without_record_id_or_not_a_jwt_is_malformed() {
        let token = sign(Algorithm::HS256, &json!({"meeting_id": "m"}), SECRET);
        assert!(matches!(
            verify_recording_ready(&token, SECRET),
            Err(CallbackError::Malformed(_))
        ));
        for junk in ["", "abc", "a.b", "a.b.c.d", "!!.e30.x"] {
            assert!(
                matches!(
                    verify_recording_ready(junk, SECRET),
                    Err(CallbackError::Malformed(_))
                ),
                "{junk}"
            );
        }
    }

    #[test]
    fn the_meeting_id_can_be_peeked_before_knowing_the_secret_but_only_as_a_key() {
        let forged = sign(Algorithm::HS256, &ready_claims(), "forger");
        assert_eq!(peek_meeting_id(&forged).as_deref(), Some("aula-m-7"));
        assert_eq!(
            verify_recording_ready(&forged, SECRET),
            Err(CallbackError::BadSignature)
        );
        assert_eq!(peek_meeting_id("not.a.token"), None);
        let empty = sign(Algorithm::HS256, &json!({"meeting_id": ""}), SECRET);
        assert_eq!(peek_meeting_id(&empty), None);
    }

    #[test]
    fn an_analytics_bearer_signed_hs512_with_a_future_exp_verifies() {
        let token = sign(Algorithm::HS512, &json!({"exp": NOW + 24 * 3600}), SECRET);
        assert_eq!(
            verify_analytics_bearer(&format!("Bearer {token}"), SECRET, NOW),
            Ok(())
        );
        assert_eq!(
            verify_analytics_bearer(&format!("bearer  {token}"), SECRET, NOW),
            Ok(())
        );
    }

    #[test]
    fn an_expired_analytics_bearer_is_refused_as_expired() {
        let token = sign(Algorithm::HS512, &json!({"exp": NOW - 120}), SECRET);
        assert_eq!(
            verify_analytics_bearer(&format!("Bearer {token}"), SECRET, NOW),
            Err(CallbackError::Expired)
        );
        // Within the minute of leeway it still passes.
        let token = sign(Algorithm::HS512, &json!({"exp": NOW - 30}), SECRET);
        assert!(verify_analytics_bearer(&format!("Bearer {token}"), SECRET, NOW).is_ok());
    }

    #[test]
    fn an_analytics_bearer_needs_the_bearer_scheme_an_exp_hs512_and_the_secret() {
        let token = sign(Algorithm::HS512, &json!({"exp": NOW + 60}), SECRET);
        for header in [token.as_str(), "Bearer ", "Basic dXNlcjpwYXNz", ""] {
            assert!(
                matches!(
                    verify_analytics_bearer(header, SECRET, NOW),
                    Err(CallbackError::Malformed(_))
                ),
                "{header}"
            );
        }
        let no_exp = sign(Algorithm::HS512, &json!({"sub": "bbb"}), SECRET);
        assert!(matches!(
            verify_analytics_bearer(&format!("Bearer {no_exp}"), SECRET, NOW),
            Err(CallbackError::Malformed(_))
        ));
        let hs256 = sign(Algorithm::HS256, &json!({"exp": NOW + 60}), SECRET);
        assert_eq!(
            verify_analytics_bearer(&format!("Bearer {hs256}"), SECRET, NOW),
            Err(CallbackError::BadSignature)
        );
        let wrong = sign(Algorithm::HS512, &json!({"exp": NOW + 60}), "other");
        assert_eq!(
            verify_analytics_bearer(&format!("Bearer {wrong}"), SECRET, NOW),
            Err(CallbackError::BadSignature)
        );
        let none = unsigned(&json!({"alg": "none"}), &json!({"exp": NOW + 60}));
        assert_eq!(
            verify_analytics_bearer(&format!("Bearer {none}"), SECRET, NOW),
            Err(CallbackError::BadSignature)
        );
    }

    #[test]
    fn errors_never_show_the_secret_or_the_token() {
        let token = sign(Algorithm::HS256, &json!({"meeting_id": 5}), SECRET);
        let err = verify_recording_ready(&token, SECRET).expect_err("bad claims");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(SECRET) && !text.contains(&token), "{text}");
    }
}
