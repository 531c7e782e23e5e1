//! The server registry over the database (server only): save with encrypted secrets, delete,
//! make default, test, and the signing material for join tokens.

use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    model::{ModerationRule, ServerKind, ServerRow, ServerTest, ValidServer, script_url},
    token::{SigningKey, check_private_key},
};
use crate::{
    clock::now,
    crypto::SecretBox,
    entities::{activity, jitsi_server, meeting},
    error::{AppError, ConflictReason, FieldCode, taken_on},
};

pub async fn servers(db: &DatabaseConnection) -> Result<Vec<jitsi_server::Model>, AppError> {
    Ok(jitsi_server::Entity::find()
        .order_by_desc(jitsi_server::Column::IsDefault)
        .order_by_asc(jitsi_server::Column::Name)
        .all(db)
        .await?)
}

/// Makes the configured default server exist and be the only default (idempotent; run at startup).
pub async fn ensure_default_server(
    db: &DatabaseConnection,
    base_url: &str,
) -> Result<jitsi_server::Model, AppError> {
    let base_url = base_url.trim_end_matches('/').to_owned();
    let all = servers(db).await?;
    for s in all
        .iter()
        .filter(|s| s.is_default && s.base_url != base_url)
    {
        let mut am = s.clone().into_active_model();
        am.is_default = Set(false);
        am.update(db).await?;
    }
    if let Some(s) = all.into_iter().find(|s| s.base_url == base_url) {
        if s.is_default {
            return Ok(s);
        }
        let mut am = s.into_active_model();
        am.is_default = Set(true);
        return Ok(am.update(db).await?);
    }
    let name = crate::activities::dto::jitsi_endpoint(&base_url)
        .map_or_else(|| base_url.clone(), |(d, _)| d);
    Ok(jitsi_server::ActiveModel {
        name: Set(name),
        base_url: Set(base_url),
        is_default: Set(true),
        created_at: Set(now()),
        kind: Set(ServerKind::Public),
        app_id: Set(None),
        secret_enc: Set(None),
        moderation_rule: Set(ModerationRule::Affiliation),
        key_id: Set(None),
        private_key_enc: Set(None),
        token_ttl_secs: Set(120),
        checksum_algo: Set(crate::servers::model::DEFAULT_CHECKSUM.into()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn rows(db: &DatabaseConnection) -> Result<Vec<ServerRow>, AppError> {
    let mut out = Vec::new();
    for s in servers(db).await? {
        let activities = uses(db, s.id).await?;
        out.push(ServerRow {
            id: s.id,
            kind: s.kind,
            name: s.name,
            base_url: s.base_url,
            is_default: s.is_default,
            app_id: s.app_id.unwrap_or_default(),
            moderation_rule: s.moderation_rule,
            key_id: s.key_id.unwrap_or_default(),
            has_secret: s.secret_enc.is_some(),
            has_private_key: s.private_key_enc.is_some(),
            token_ttl_secs: i64::from(s.token_ttl_secs),
            checksum_algo: s.checksum_algo,
            activities,
        });
    }
    Ok(out)
}

/// Activities and meetings that meet on this server.
async fn uses(db: &DatabaseConnection, id: i32) -> Result<u64, AppError> {
    let activities = activity::Entity::find()
        .filter(activity::Column::ServerId.eq(id))
        .count(db)
        .await?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::ServerId.eq(id))
        .count(db)
        .await?;
    Ok(activities + meetings)
}

pub async fn find(db: &DatabaseConnection, id: i32) -> Result<jitsi_server::Model, AppError> {
    jitsi_server::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates (`id` None) or updates a server. Secrets are encrypted before they reach the
/// database; a PEM that is not an RSA private key is refused here, not at the first join.
#[tracing::instrument(skip(db, secrets, v), fields(kind = v.kind.as_str()))]
pub async fn save(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    id: Option<i32>,
    v: ValidServer,
) -> Result<i32, AppError> {
    if let Some(pem) = &v.private_key
        && check_private_key(pem).is_err()
    {
        return Err(AppError::invalid("private_key", FieldCode::InvalidKey));
    }
    let mut am = match id {
        Some(id) => find(db, id).await?.into_active_model(),
        None => jitsi_server::ActiveModel {
            is_default: Set(false),
            created_at: Set(now()),
            ..Default::default()
        },
    };
    am.name = Set(v.name);
    am.base_url = Set(v.base_url);
    am.kind = Set(v.kind);
    am.app_id = Set(v.app_id);
    am.moderation_rule = Set(v.moderation_rule);
    am.key_id = Set(v.key_id);
    am.token_ttl_secs = Set(v.token_ttl_secs as i32);
    am.checksum_algo = Set(v.checksum_algo);
    am.updated_at = Set(now());
    match v.kind {
        ServerKind::Public => {
            am.secret_enc = Set(None);
            am.private_key_enc = Set(None);
        }
        ServerKind::Jwt | ServerKind::Bbb => {
            am.private_key_enc = Set(None);
            if let Some(s) = v.secret {
                am.secret_enc = Set(Some(secrets.encrypt(&s)));
            }
        }
        ServerKind::Jaas => {
            am.secret_enc = Set(None);
            if let Some(p) = v.private_key {
                am.private_key_enc = Set(Some(secrets.encrypt(&p)));
            }
        }
    }
    let mut saved = am.save(db).await.map_err(taken_on("base_url"))?;
    saved
        .id
        .take()
        .ok_or_else(|| AppError::internal("a saved server came back without an id"))
}

#[tracing::instrument(skip(db))]
pub async fn delete(db: &DatabaseConnection, id: i32) -> Result<(), AppError> {
    let s = find(db, id).await?;
    if s.is_default || uses(db, id).await? > 0 {
        return Err(AppError::Conflict(ConflictReason::InUse));
    }
    jitsi_server::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

#[tracing::instrument(skip(db))]
pub async fn make_default(db: &DatabaseConnection, id: i32) -> Result<(), AppError> {
    find(db, id).await?;
    let txn = crate::txn::begin_write(db).await?;
    jitsi_server::Entity::update_many()
        .col_expr(jitsi_server::Column::IsDefault, false.into())
        .exec(&txn)
        .await?;
    jitsi_server::Entity::update_many()
        .col_expr(jitsi_server::Column::IsDefault, true.into())
        .filter(jitsi_server::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Jitsi: fetches the server's `external_api.js` with a timeout, as a browser would.
/// BigBlueButton: asks the API for its version (`GET <api>`, no checksum needed).
pub async fn test(s: &jitsi_server::Model) -> ServerTest {
    if s.kind.is_bbb() {
        return test_bbb(s).await;
    }
    let url = script_url(s.kind, &s.base_url, s.app_id.as_deref());
    let Ok(client) = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
    else {
        return ServerTest {
            ok: false,
            url,
            status: None,
            detail: "client".into(),
        };
    };
    match client.get(&url).send().await {
        Err(e) => ServerTest {
            ok: false,
            url,
            status: None,
            detail: if e.is_timeout() {
                "timeout".into()
            } else {
                "unreachable".into()
            },
        },
        Ok(res) => {
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let is_api = body.contains("JitsiMeetExternalAPI");
            ServerTest {
                ok: (200..300).contains(&status) && is_api,
                url,
                status: Some(status),
                detail: if !(200..300).contains(&status) {
                    "status".into()
                } else if is_api {
                    "ok".into()
                } else {
                    "not_api".into()
                },
            }
        }
    }
}

async fn test_bbb(s: &jitsi_server::Model) -> ServerTest {
    use bbb::{client::BbbClient, error::BbbError};
    let url = s.base_url.clone();
    let server = bbb::client::BbbServer {
        api_url: s.base_url.clone(),
        // The version call is unsigned; no secret needs decrypting for it.
        secret: String::new(),
        algo: bbb::checksum::ChecksumAlgo::Sha256,
    };
    match BbbClient::new(Duration::from_secs(5))
        .version(&server)
        .await
    {
        Ok(version) => ServerTest {
            ok: true,
            url,
            status: Some(200),
            detail: version,
        },
        Err(e) => {
            let (status, detail) = match e {
                BbbError::Timeout => (None, "timeout"),
                BbbError::Unreachable(_) => (None, "unreachable"),
                BbbError::BadResponse | BbbError::Failed { .. } => (None, "not_bbb"),
            };
            ServerTest {
                ok: false,
                url,
                status,
                detail: detail.into(),
            }
        }
    }
}

/// The API address, secret and checksum algorithm of a BigBlueButton server, decrypted.
pub fn bbb_server(
    s: &jitsi_server::Model,
    secrets: &SecretBox,
) -> Result<bbb::client::BbbServer, AppError> {
    use bbb::checksum::ChecksumAlgo;
    if !s.kind.is_bbb() {
        return Err(AppError::internal(format!(
            "server {} is not BigBlueButton",
            s.id
        )));
    }
    let secret = s
        .secret_enc
        .as_ref()
        .ok_or_else(|| AppError::internal(format!("server {} has no secret", s.id)))
        .and_then(|enc| {
            secrets
                .decrypt(enc)
                .map_err(|_| AppError::internal(format!("server {} secret does not decrypt", s.id)))
        })?;
    Ok(bbb::client::BbbServer {
        api_url: s.base_url.clone(),
        secret,
        // The form only stores algorithms BBB knows, so another value is a damaged row: refuse
        // it rather than sign with an algorithm the admin did not choose.
        algo: ChecksumAlgo::parse(&s.checksum_algo).ok_or_else(|| {
            AppError::internal(format!(
                "server {} has an unknown checksum algorithm {:?}",
                s.id, s.checksum_algo
            ))
        })?,
    })
}

/// The key that signs this server's tokens, decrypted; `None` for public servers.
pub fn signing_key(
    s: &jitsi_server::Model,
    secrets: &SecretBox,
) -> Result<Option<SigningKey>, AppError> {
    let decrypt = |v: &Option<String>| -> Result<String, AppError> {
        let enc = v
            .as_ref()
            .ok_or_else(|| AppError::internal(format!("server {} has no key", s.id)))?;
        secrets
            .decrypt(enc)
            .map_err(|_| AppError::internal(format!("server {} key does not decrypt", s.id)))
    };
    Ok(match s.kind {
        ServerKind::Public | ServerKind::Bbb => None,
        ServerKind::Jwt => Some(SigningKey::Hs256(decrypt(&s.secret_enc)?.into_bytes())),
        ServerKind::Jaas => Some(SigningKey::Rs256 {
            pem: decrypt(&s.private_key_enc)?,
            kid: s.key_id.clone().unwrap_or_default(),
        }),
    })
}
