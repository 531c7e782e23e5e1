//! The authorization-code flow with PKCE, refresh and revocation, through the `oauth2` crate.

use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    RevocationUrl, Scope, TokenResponse, TokenUrl,
    basic::{BasicClient, BasicErrorResponseType},
};

use super::Google;

pub const YOUTUBE_SCOPE: &str = "https://www.googleapis.com/auth/youtube";

/// The site's OAuth client, as the admin entered it.
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// What Google handed back. `refresh_token` is absent on refreshes.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: String,
    pub expires_in_secs: i64,
    pub refresh_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// Google refused the grant or the client: the account needs the admin (re-authorise, or fix
    /// the client secret). Carries Google's error code, never a token.
    #[error("Google refused: {0}")]
    Refused(String),
    /// Network trouble, a timeout or a 5xx: worth trying again later.
    #[error("Google could not be reached: {0}")]
    Unreachable(String),
    #[error("the Google settings are incomplete: {0}")]
    Misconfigured(String),
}

type GoogleClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointSet, EndpointSet>;

fn client(
    google: &Google,
    creds: &ClientCredentials,
    redirect: &str,
) -> Result<GoogleClient, OAuthError> {
    let bad = |what: &str| OAuthError::Misconfigured(what.to_owned());
    Ok(BasicClient::new(ClientId::new(creds.client_id.clone()))
        .set_client_secret(ClientSecret::new(creds.client_secret.clone()))
        // Google accepts both; the body keeps the secret out of proxies' Authorization logs.
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new(google.config.auth_url.clone()).map_err(|_| bad("auth_url"))?)
        .set_token_uri(
            TokenUrl::new(google.config.token_url.clone()).map_err(|_| bad("token_url"))?,
        )
        .set_revocation_url(
            RevocationUrl::new(google.config.revoke_url.clone()).map_err(|_| bad("revoke_url"))?,
        )
        .set_redirect_uri(RedirectUrl::new(redirect.to_owned()).map_err(|_| bad("public_url"))?))
}

/// The URL to send the admin to, and the PKCE verifier to keep until they come back.
pub fn authorize_url(
    google: &Google,
    creds: &ClientCredentials,
    redirect: &str,
    state: &str,
) -> Result<(String, String), OAuthError> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let state = state.to_owned();
    let (url, _) = client(google, creds, redirect)?
        .authorize_url(move || CsrfToken::new(state))
        .add_scope(Scope::new(YOUTUBE_SCOPE.into()))
        // Offline access and a forced consent screen: Google only returns a refresh token then.
        .add_extra_param("access_type", "offline")
        .add_extra_param("prompt", "consent")
        .set_pkce_challenge(challenge)
        .url();
    Ok((url.to_string(), verifier.secret().clone()))
}

fn tokens_of(t: &oauth2::basic::BasicTokenResponse) -> Tokens {
    Tokens {
        access_token: t.access_token().secret().clone(),
        expires_in_secs: t
            .expires_in()
            .map(|d| d.as_secs() as i64)
            // Google always sends it; one hour is what it documents if it ever did not.
            .unwrap_or(3600),
        refresh_token: t.refresh_token().map(|r| r.secret().clone()),
    }
}

fn classify<E: std::error::Error + 'static>(
    e: RequestTokenError<E, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => OAuthError::Refused(r.error().to_string()),
        RequestTokenError::Request(e) => OAuthError::Unreachable(e.to_string()),
        RequestTokenError::Parse(e, _) => OAuthError::Unreachable(format!("bad answer: {e}")),
        RequestTokenError::Other(e) => OAuthError::Unreachable(e),
    }
}

pub async fn exchange_code(
    google: &Google,
    creds: &ClientCredentials,
    redirect: &str,
    code: &str,
    verifier: &str,
) -> Result<Tokens, OAuthError> {
    let t = client(google, creds, redirect)?
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(&google.http)
        .await
        .map_err(classify)?;
    Ok(tokens_of(&t))
}

pub async fn refresh(
    google: &Google,
    creds: &ClientCredentials,
    redirect: &str,
    refresh_token: &str,
) -> Result<Tokens, OAuthError> {
    let t = client(google, creds, redirect)?
        .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
        .request_async(&google.http)
        .await
        .map_err(classify)?;
    Ok(tokens_of(&t))
}

/// Revokes the refresh token (which also ends its access tokens). A plain RFC 7009 form POST:
/// the `oauth2` crate refuses any revocation URL that is not `https://`, which made removing an
/// account fail with an internal error whenever the configured (`http://` is allowed, as for the
/// other Google URLs) endpoint is a local one.
pub async fn revoke(
    google: &Google,
    creds: &ClientCredentials,
    redirect: &str,
    refresh_token: &str,
) -> Result<(), OAuthError> {
    // Validates the configuration the same way as the other calls.
    client(google, creds, redirect)?;
    let resp = google
        .http
        .post(&google.config.revoke_url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[
            ("token", refresh_token),
            ("token_type_hint", "refresh_token"),
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.as_str()),
        ])
        .send()
        .await
        .map_err(|e| OAuthError::Unreachable(e.without_url().to_string()))?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    if status.is_client_error() {
        // Google answers `{"error": "invalid_token"}` for a token already revoked or expired.
        let code = resp
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_else(|| status.as_u16().to_string());
        return Err(OAuthError::Refused(code));
    }
    Err(OAuthError::Unreachable(format!("revoke answered {status}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recording::google::GoogleConfig;

    #[test]
    fn the_authorize_url_asks_for_offline_youtube_access_with_pkce_and_consent() {
        let g = Google::new(GoogleConfig {
            auth_url: "http://127.0.0.1:9/auth".into(),
            ..GoogleConfig::default()
        });
        let creds = ClientCredentials {
            client_id: "cid.apps".into(),
            client_secret: "s3cret".into(),
        };
        let (url, verifier) =
            authorize_url(&g, &creds, "https://aula.test/cb", "st4te").expect("url");
        let u = reqwest::Url::parse(&url).expect("parse");
        let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
        assert!(url.starts_with("http://127.0.0.1:9/auth?"));
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "cid.apps");
        assert_eq!(q["redirect_uri"], "https://aula.test/cb");
        assert_eq!(q["scope"], YOUTUBE_SCOPE);
        assert_eq!(q["access_type"], "offline");
        assert_eq!(q["prompt"], "consent");
        assert_eq!(q["state"], "st4te");
        assert_eq!(q["code_challenge_method"], "S256");
        assert!(verifier.len() >= 43, "RFC 7636 verifiers are 43-128 chars");
        assert!(
            !url.contains("s3cret"),
            "the secret never goes to the browser"
        );
    }
}
