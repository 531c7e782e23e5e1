//! Meeting servers an admin registers: public Jitsi, self-hosted Jitsi with JWT, or 8x8 JaaS.
//! Browser-safe types and form validation (pure, tested). Secrets never travel back to the
//! browser: a row only says whether one is set.

use serde::{Deserialize, Serialize};

use crate::{
    activities::dto::jitsi_endpoint,
    error::{AppError, FieldCode, FieldError},
};

/// The kinds and moderation rules live in `domain`, where they are also database columns.
pub use domain::{ModerationRule, ServerKind};

pub const JAAS_APP_PREFIX: &str = "vpaas-magic-cookie-";
pub const SECRET_MIN: usize = 16;
/// BigBlueButton's own secrets (`bbb-conf --secret`) are long; the floor only catches typos.
pub const BBB_SECRET_MIN: usize = 8;
/// What BBB accepts (`supportedChecksumAlgorithms`); sha256 is the default Aula signs with.
pub const CHECKSUM_ALGOS: [&str; 4] = ["sha1", "sha256", "sha384", "sha512"];
pub const DEFAULT_CHECKSUM: &str = "sha256";
pub const TTL_RANGE: (i64, i64) = (30, 3600);

/// A server as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRow {
    pub id: i32,
    pub name: String,
    pub base_url: String,
    pub kind: ServerKind,
    pub is_default: bool,
    pub app_id: String,
    pub moderation_rule: ModerationRule,
    pub key_id: String,
    pub has_secret: bool,
    pub has_private_key: bool,
    pub token_ttl_secs: i64,
    /// BigBlueButton only.
    pub checksum_algo: String,
    /// Activities and meetings using it (a server in use cannot be deleted).
    pub activities: u64,
}

/// Result of the "test" action: did `external_api.js` load?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerTest {
    pub ok: bool,
    pub url: String,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Why it failed, in plain words (timeout, refused, not the IFrame API script…).
    pub detail: String,
}

/// The registry form as posted, one field per input: the save function takes it flattened
/// (`#[server(flatten)]`). Fields a server kind does not use may be absent. Its `Debug` hides the
/// secrets.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerForm {
    pub name: String,
    pub base_url: String,
    pub kind: String,
    #[serde(default)]
    pub app_id: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub moderation_rule: Option<String>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub private_key: Option<String>,
    #[serde(default)]
    pub token_ttl_secs: Option<String>,
    #[serde(default)]
    pub checksum_algo: Option<String>,
}

impl std::fmt::Debug for ServerForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerForm")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("kind", &self.kind)
            .field("app_id", &self.app_id)
            .field("secret", &"<redacted>")
            .field("moderation_rule", &self.moderation_rule)
            .field("key_id", &self.key_id)
            .field("private_key", &"<redacted>")
            .field("token_ttl_secs", &self.token_ttl_secs)
            .field("checksum_algo", &self.checksum_algo)
            .finish()
    }
}

/// An absent field is an empty one.
impl From<ServerForm> for ServerDraft {
    fn from(f: ServerForm) -> Self {
        ServerDraft {
            name: f.name,
            base_url: f.base_url,
            kind: f.kind,
            app_id: f.app_id.unwrap_or_default(),
            secret: f.secret.unwrap_or_default(),
            moderation_rule: f.moderation_rule.unwrap_or_default(),
            key_id: f.key_id.unwrap_or_default(),
            private_key: f.private_key.unwrap_or_default(),
            token_ttl_secs: f.token_ttl_secs.unwrap_or_default(),
            checksum_algo: f.checksum_algo.unwrap_or_default(),
        }
    }
}

/// The form as posted. Empty `secret` / `private_key` on an existing server keep the stored one.
#[derive(Debug, Clone, Default)]
pub struct ServerDraft {
    pub name: String,
    pub base_url: String,
    pub kind: String,
    pub app_id: String,
    pub secret: String,
    pub moderation_rule: String,
    pub key_id: String,
    pub private_key: String,
    pub token_ttl_secs: String,
    pub checksum_algo: String,
}

/// A validated server. `secret` / `private_key` are `None` to keep what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidServer {
    pub name: String,
    pub base_url: String,
    pub kind: ServerKind,
    pub app_id: Option<String>,
    pub secret: Option<String>,
    pub moderation_rule: ModerationRule,
    pub key_id: Option<String>,
    pub private_key: Option<String>,
    pub token_ttl_secs: i64,
    pub checksum_algo: String,
}

impl ServerDraft {
    /// `stored` says which secrets the server already has (`(secret, private key)`), so an edit
    /// may leave those fields blank.
    pub fn validate(self, stored: (bool, bool)) -> Result<ValidServer, AppError> {
        let mut errors = Vec::new();
        let mut err = |f: &str, c: FieldCode| errors.push(FieldError::new(f, c));
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            err("name", FieldCode::Required);
        } else if name.chars().count() > 100 {
            err("name", FieldCode::TooLong(100));
        }
        let base_url = self.base_url.trim().trim_end_matches('/').to_owned();
        let kind = ServerKind::parse(&self.kind);
        if kind.is_none() {
            err("kind", FieldCode::InvalidChoice);
        }
        let kind = kind.unwrap_or(ServerKind::Public);
        let address_ok = match kind {
            ServerKind::Bbb => is_bbb_api_url(&base_url),
            _ => jitsi_endpoint(&base_url).is_some(),
        };
        if !address_ok || base_url.len() > 255 {
            err("base_url", FieldCode::InvalidUrl);
        }
        let checksum_algo = match self.checksum_algo.trim() {
            "" => DEFAULT_CHECKSUM.to_owned(),
            a if CHECKSUM_ALGOS.contains(&a) => a.to_owned(),
            _ => {
                err("checksum_algo", FieldCode::InvalidChoice);
                DEFAULT_CHECKSUM.to_owned()
            }
        };
        let rule = match kind {
            ServerKind::Jwt => ModerationRule::parse(&self.moderation_rule).unwrap_or_else(|| {
                err("moderation_rule", FieldCode::InvalidChoice);
                ModerationRule::Affiliation
            }),
            _ => ModerationRule::Affiliation,
        };
        let ttl = match self.token_ttl_secs.trim() {
            "" => 120,
            raw => match raw.parse::<i64>() {
                Ok(v) if (TTL_RANGE.0..=TTL_RANGE.1).contains(&v) => v,
                _ => {
                    err(
                        "token_ttl_secs",
                        FieldCode::OutOfRange(TTL_RANGE.0, TTL_RANGE.1),
                    );
                    120
                }
            },
        };
        let app_id = self.app_id.trim().to_owned();
        let key_id = self.key_id.trim().to_owned();
        let secret = (!self.secret.is_empty()).then_some(self.secret);
        let private_key =
            (!self.private_key.trim().is_empty()).then(|| self.private_key.trim().to_owned());
        match kind {
            ServerKind::Public => {}
            ServerKind::Jwt => {
                if app_id.is_empty() {
                    err("app_id", FieldCode::Required);
                } else if app_id.len() > 255 {
                    err("app_id", FieldCode::TooLong(255));
                }
                match &secret {
                    None if !stored.0 => err("secret", FieldCode::Required),
                    Some(s) if s.len() < SECRET_MIN => {
                        err("secret", FieldCode::TooShort(SECRET_MIN as u32))
                    }
                    _ => {}
                }
            }
            ServerKind::Jaas => {
                if !app_id.starts_with(JAAS_APP_PREFIX) || app_id.len() > 255 {
                    err("app_id", FieldCode::InvalidChoice);
                }
                if key_id.is_empty() {
                    err("key_id", FieldCode::Required);
                } else if !key_id.starts_with(&format!("{app_id}/")) {
                    // jitsi-meet rejects a token whose kid is not "<AppID>/<key>".
                    err("key_id", FieldCode::KeyIdMismatch);
                }
                match &private_key {
                    None if !stored.1 => err("private_key", FieldCode::Required),
                    Some(p) if !p.starts_with("-----BEGIN") => {
                        err("private_key", FieldCode::InvalidKey)
                    }
                    _ => {}
                }
            }
            ServerKind::Bbb => match &secret {
                None if !stored.0 => err("secret", FieldCode::Required),
                Some(s) if s.trim().len() < BBB_SECRET_MIN => {
                    err("secret", FieldCode::TooShort(BBB_SECRET_MIN as u32))
                }
                _ => {}
            },
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let keep = |v: String| (!v.is_empty()).then_some(v);
        Ok(ValidServer {
            name,
            base_url,
            kind,
            app_id: match kind {
                ServerKind::Jwt | ServerKind::Jaas => keep(app_id),
                _ => None,
            },
            secret: matches!(kind, ServerKind::Jwt | ServerKind::Bbb)
                .then(|| secret.map(|s| s.trim().to_owned()))
                .flatten(),
            moderation_rule: rule,
            key_id: (kind == ServerKind::Jaas).then(|| keep(key_id)).flatten(),
            private_key: (kind == ServerKind::Jaas).then_some(private_key).flatten(),
            token_ttl_secs: ttl,
            checksum_algo,
        })
    }
}

/// A BigBlueButton API address: `http(s)://host[:port]/path`, no query or fragment (the client
/// appends `/<call>?…`). e.g. `https://bbb.uni.example/bigbluebutton/api`.
pub fn is_bbb_api_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    !host.is_empty() && !rest.contains(['?', '#', ' ', '"', '<', '>', '\\'])
}

/// Where the IFrame API script lives: JaaS serves it under the AppID.
pub fn script_url(kind: ServerKind, base_url: &str, app_id: Option<&str>) -> String {
    let base = base_url.trim_end_matches('/');
    match (kind, app_id) {
        (ServerKind::Jaas, Some(app)) => format!("{base}/{app}/external_api.js"),
        _ => format!("{base}/external_api.js"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(kind: &str) -> ServerDraft {
        ServerDraft {
            name: "Campus Jitsi".into(),
            base_url: "https://meet.uni.example/".into(),
            kind: kind.into(),
            moderation_rule: "affiliation".into(),
            ..Default::default()
        }
    }

    fn codes(e: AppError) -> Vec<(String, FieldCode)> {
        match e {
            AppError::Invalid(v) => v.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_public_server_needs_only_a_name_and_an_address() {
        let v = draft("public").validate((false, false)).unwrap();
        assert_eq!(v.base_url, "https://meet.uni.example");
        assert_eq!((v.app_id, v.secret), (None, None));
    }

    #[test]
    fn a_jwt_server_needs_an_app_id_and_a_long_enough_secret_unless_one_is_stored() {
        let e = codes(draft("jwt").validate((false, false)).unwrap_err());
        assert!(e.contains(&("app_id".into(), FieldCode::Required)));
        assert!(e.contains(&("secret".into(), FieldCode::Required)));
        let mut d = draft("jwt");
        d.app_id = "aula".into();
        d.secret = "short".into();
        assert_eq!(
            codes(d.clone().validate((false, false)).unwrap_err()),
            vec![("secret".into(), FieldCode::TooShort(16))]
        );
        d.secret = String::new();
        let kept = d.validate((true, false)).unwrap();
        assert_eq!(kept.secret, None, "blank keeps the stored secret");
    }

    #[test]
    fn a_jaas_key_id_must_belong_to_the_app_id() {
        let mut d = draft("jaas");
        d.base_url = "https://8x8.vc".into();
        d.app_id = "vpaas-magic-cookie-0123456789abcdef0123456789abcdef".into();
        d.key_id = "vpaas-magic-cookie-ffff/4f4910".into();
        d.private_key = "not a pem".into();
        let e = codes(d.validate((false, false)).unwrap_err());
        assert!(e.contains(&("key_id".into(), FieldCode::KeyIdMismatch)));
        assert!(e.contains(&("private_key".into(), FieldCode::InvalidKey)));
    }

    #[test]
    fn bad_addresses_kinds_and_lifetimes_are_refused() {
        let mut d = draft("teams");
        d.base_url = "meet.uni.example".into();
        d.token_ttl_secs = "5".into();
        let e = codes(d.validate((false, false)).unwrap_err());
        assert!(e.contains(&("base_url".into(), FieldCode::InvalidUrl)));
        assert!(e.contains(&("kind".into(), FieldCode::InvalidChoice)));
        assert!(e.contains(&("token_ttl_secs".into(), FieldCode::OutOfRange(30, 3600))));
    }

    #[test]
    fn a_bbb_server_needs_an_api_address_a_secret_and_a_known_checksum() {
        let mut d = draft("bbb");
        d.base_url = "https://bbb.uni.example/bigbluebutton/api/".into();
        d.checksum_algo = "md5".into();
        let e = codes(d.clone().validate((false, false)).unwrap_err());
        assert!(e.contains(&("secret".into(), FieldCode::Required)));
        assert!(e.contains(&("checksum_algo".into(), FieldCode::InvalidChoice)));
        d.checksum_algo = "sha512".into();
        d.secret = "  a-long-bbb-secret ".into();
        let v = d.clone().validate((false, false)).unwrap();
        assert_eq!(v.base_url, "https://bbb.uni.example/bigbluebutton/api");
        assert_eq!(v.secret.as_deref(), Some("a-long-bbb-secret"));
        assert_eq!((v.checksum_algo.as_str(), v.app_id), ("sha512", None));
        d.secret = String::new();
        d.checksum_algo = String::new();
        let kept = d.validate((true, false)).unwrap();
        assert_eq!((kept.secret, kept.checksum_algo.as_str()), (None, "sha256"));
    }

    #[test]
    fn bbb_addresses_may_have_a_path_but_no_query() {
        assert!(is_bbb_api_url("https://bbb.example/bigbluebutton/api"));
        assert!(is_bbb_api_url("http://127.0.0.1:18600/bigbluebutton/api"));
        assert!(!is_bbb_api_url("https://bbb.example/api?x=1"));
        assert!(!is_bbb_api_url("bbb.example/bigbluebutton/api"));
        assert!(!is_bbb_api_url("https:///bigbluebutton/api"));
    }

    #[test]
    fn jaas_serves_its_script_under_the_app_id() {
        assert_eq!(
            script_url(
                ServerKind::Jaas,
                "https://8x8.vc",
                Some("vpaas-magic-cookie-x")
            ),
            "https://8x8.vc/vpaas-magic-cookie-x/external_api.js"
        );
        assert_eq!(
            script_url(ServerKind::Jwt, "https://meet.uni.example/", Some("aula")),
            "https://meet.uni.example/external_api.js"
        );
    }
}
