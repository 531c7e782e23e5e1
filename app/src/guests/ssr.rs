//! Guest links over the database (server only). The token in a link is 32 random bytes; the
//! database looks it up by its SHA-256 and keeps the token itself encrypted, so the teacher can
//! copy the link again but a database dump does not hand out entry.

use axum::http::HeaderMap;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
    sea_query::{Expr, ExprTrait},
};
use sha2::{Digest, Sha256};

use super::model::{GuestUseRow, LinkRow, LinkState, link_state};
use crate::{
    auth::ssr::cookie,
    clock::now,
    crypto::SecretBox,
    entities::{guest_link, guest_use},
    error::AppError,
    tz,
};

pub const GUEST_COOKIE: &str = "aula_guest";

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn url_of(public_url: &str, token: &str) -> String {
    format!("{}/guest/{token}", public_url.trim_end_matches('/'))
}

/// The URL as an SVG QR code (medium error correction, quiet zone included).
pub fn qr_svg(url: &str) -> String {
    use qrcode::{EcLevel, QrCode, render::svg};
    match QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(160, 160)
            .dark_color(svg::Color("#111111"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

pub fn state_of(l: &guest_link::Model, at: i64) -> LinkState {
    link_state(
        at,
        l.expires_at,
        l.revoked,
        i64::from(l.uses),
        l.max_uses.map(i64::from),
    )
}

pub async fn create(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    activity_id: i32,
    creator: i32,
    (label, expires_at, max_uses): (String, i64, Option<i32>),
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    guest_link::ActiveModel {
        activity_id: Set(activity_id),
        token_hash: Set(hash(&token)),
        token_enc: Set(secrets.encrypt(&token)),
        label: Set(label),
        expires_at: Set(expires_at),
        max_uses: Set(max_uses),
        uses: Set(0),
        revoked: Set(false),
        created_by: Set(creator),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn list(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    activity_id: i32,
    public_url: &str,
    zone: &str,
) -> Result<Vec<LinkRow>, AppError> {
    let links = guest_link::Entity::find()
        .filter(guest_link::Column::ActivityId.eq(activity_id))
        .order_by_desc(guest_link::Column::Id)
        .all(db)
        .await?;
    let uses = guest_use::Entity::find()
        .filter(guest_use::Column::LinkId.is_in(links.iter().map(|l| l.id)))
        .order_by_asc(guest_use::Column::Id)
        .all(db)
        .await?;
    let t = now();
    Ok(links
        .into_iter()
        .map(|l| {
            let url = secrets
                .decrypt(&l.token_enc)
                .map(|tok| url_of(public_url, &tok))
                .unwrap_or_default();
            LinkRow {
                id: l.id,
                state: state_of(&l, t),
                label: l.label,
                qr_svg: qr_svg(&url),
                url,
                expires: tz::format_local(l.expires_at, zone),
                max_uses: l.max_uses,
                uses: l.uses,
                guests: uses
                    .iter()
                    .filter(|u| u.link_id == l.id)
                    .map(|u| GuestUseRow {
                        name: u.display_name.clone(),
                        at: tz::format_local(u.used_at, zone),
                    })
                    .collect(),
            }
        })
        .collect())
}

pub async fn revoke(
    db: &DatabaseConnection,
    activity_id: i32,
    link_id: i32,
) -> Result<(), AppError> {
    let res = guest_link::Entity::update_many()
        .col_expr(guest_link::Column::Revoked, Expr::value(true))
        .filter(guest_link::Column::Id.eq(link_id))
        .filter(guest_link::Column::ActivityId.eq(activity_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn find(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<guest_link::Model>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(guest_link::Entity::find()
        .filter(guest_link::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?)
}

/// Takes one use of the link, atomically: two guests racing for the last use cannot both get
/// it. Returns the new guest's key.
pub async fn take_use(
    db: &impl ConnectionTrait,
    link: &guest_link::Model,
    name: &str,
) -> Result<Option<guest_use::Model>, AppError> {
    let t = now();
    let mut q = guest_link::Entity::update_many()
        .col_expr(
            guest_link::Column::Uses,
            Expr::col(guest_link::Column::Uses).add(1),
        )
        .filter(guest_link::Column::Id.eq(link.id))
        .filter(guest_link::Column::Revoked.eq(false))
        .filter(guest_link::Column::ExpiresAt.gt(t));
    if let Some(max) = link.max_uses {
        q = q.filter(guest_link::Column::Uses.lt(max));
    }
    if q.exec(db).await?.rows_affected == 0 {
        return Ok(None);
    }
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Ok(Some(
        guest_use::ActiveModel {
            link_id: Set(link.id),
            guest_key: Set(hex::encode(bytes)),
            display_name: Set(name.to_owned()),
            used_at: Set(t),
            ..Default::default()
        }
        .insert(db)
        .await?,
    ))
}

/// The guest behind the request's guest cookie, with their link, if the link still admits.
pub async fn guest_from_headers(
    db: &DatabaseConnection,
    headers: &HeaderMap,
) -> Result<Option<(guest_use::Model, guest_link::Model)>, AppError> {
    let Some(key) = cookie(headers, GUEST_COOKIE) else {
        return Ok(None);
    };
    if key.len() != 48 {
        return Ok(None);
    }
    let Some(g) = guest_use::Entity::find()
        .filter(guest_use::Column::GuestKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(l) = guest_link::Entity::find_by_id(g.link_id).one(db).await? else {
        return Ok(None);
    };
    // Revoked or expired links stop admitting even guests who came in earlier.
    Ok((l.revoked || now() >= l.expires_at)
        .then_some(())
        .map_or(Some((g, l)), |_| None))
}

pub fn guest_cookie(key: &str, secure: bool) -> String {
    format!(
        "{GUEST_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200{}",
        if secure { "; Secure" } else { "" }
    )
}
