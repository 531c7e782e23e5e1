//! Each user's secret calendar feed: one URL listing all their sessions (course activities and
//! meetings) for calendar apps to subscribe to. The URL is the only credential, so it can be
//! reset, after which the old one answers 404.
//!
//! The token is 32 random bytes (base64url). Like guest links, the database looks it up by its
//! SHA-256 and keeps the token itself encrypted with the master key, so the user can copy the URL
//! again but a database dump does not give anyone's calendar away.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLink {
    /// `{public_url}/calendar/feed/{token}.ics`
    pub url: String,
}

/// The caller's feed URL, made on first use.
#[server(endpoint = "profile/feed")]
pub async fn calendar_feed_link() -> Result<FeedLink, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        let token = ssr::ensure(&c.state.db, &c.state.secrets, c.user.id).await?;
        Ok(FeedLink {
            url: ssr::url_of(&c.state.settings.public_url, &token),
        })
    }
    .await
    .respond()
}

/// A new feed URL for the caller; the old one stops working at once.
#[server(endpoint = "profile/feed/reset")]
pub async fn reset_calendar_feed() -> Result<FeedLink, AppError> {
    use crate::request::{Respond, require_user};
    async {
        let c = require_user().await?;
        let token = ssr::reset(&c.state.db, &c.state.secrets, c.user.id).await?;
        Ok(FeedLink {
            url: ssr::url_of(&c.state.settings.public_url, &token),
        })
    }
    .await
    .respond()
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use rand::RngCore;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    };
    use sha2::{Digest, Sha256};

    use crate::{
        clock::now,
        crypto::SecretBox,
        entities::{calendar_feed, user},
        error::AppError,
    };

    /// 32 bytes in unpadded base64url.
    pub const TOKEN_LEN: usize = 43;

    /// The lookup key stored for a token.
    pub fn hash(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    pub fn url_of(public_url: &str, token: &str) -> String {
        format!(
            "{}/calendar/feed/{token}.ics",
            public_url.trim_end_matches('/')
        )
    }

    /// Only something that could be a token is looked up at all.
    pub fn well_formed(token: &str) -> bool {
        token.len() == TOKEN_LEN
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    fn new_token() -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn row(user_id: i32, token: &str, secrets: &SecretBox) -> calendar_feed::ActiveModel {
        calendar_feed::ActiveModel {
            user_id: Set(user_id),
            token_hash: Set(hash(token)),
            token_enc: Set(secrets.encrypt(token)),
            created_at: Set(now()),
        }
    }

    fn reveal(secrets: &SecretBox, r: &calendar_feed::Model) -> Result<String, AppError> {
        secrets
            .decrypt(&r.token_enc)
            .map_err(|_| AppError::internal("calendar feed token does not decrypt"))
    }

    /// The user's token, made on first use.
    pub async fn ensure(
        db: &DatabaseConnection,
        secrets: &SecretBox,
        user_id: i32,
    ) -> Result<String, AppError> {
        if let Some(r) = calendar_feed::Entity::find_by_id(user_id).one(db).await? {
            return reveal(secrets, &r);
        }
        let token = new_token();
        match row(user_id, &token, secrets).insert(db).await {
            Ok(_) => Ok(token),
            // Two first visits at once (two tabs): the one stored first stands.
            Err(e) => match calendar_feed::Entity::find_by_id(user_id).one(db).await? {
                Some(r) => reveal(secrets, &r),
                None => Err(e.into()),
            },
        }
    }

    /// Replaces the user's token; the old one no longer finds anything.
    pub async fn reset(
        db: &DatabaseConnection,
        secrets: &SecretBox,
        user_id: i32,
    ) -> Result<String, AppError> {
        let token = new_token();
        let txn = crate::txn::begin_write(db).await?;
        calendar_feed::Entity::delete_many()
            .filter(calendar_feed::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        row(user_id, &token, secrets).insert(&txn).await?;
        txn.commit().await?;
        Ok(token)
    }

    /// Whose feed `token` opens: None for anything unknown, reset, or of a disabled account.
    pub async fn owner_of(
        db: &DatabaseConnection,
        token: &str,
    ) -> Result<Option<user::Model>, AppError> {
        if !well_formed(token) {
            return Ok(None);
        }
        let Some(feed) = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(hash(token)))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        Ok(user::Entity::find_by_id(feed.user_id)
            .one(db)
            .await?
            .filter(|u| !u.disabled))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tokens_are_43_base64url_characters_and_differ_each_time() {
            let (a, b) = (new_token(), new_token());
            assert_ne!(a, b);
            assert!(well_formed(&a) && well_formed(&b), "{a} {b}");
            assert_eq!(URL_SAFE_NO_PAD.decode(&a).map(|v| v.len()), Ok(32));
        }

        #[test]
        fn only_token_shaped_strings_are_looked_up() {
            assert!(!well_formed(""));
            assert!(!well_formed(&"a".repeat(42)));
            assert!(!well_formed(&"a".repeat(44)));
            assert!(!well_formed(&format!("{}/", "a".repeat(42))));
            assert!(!well_formed(&format!("{}=", "a".repeat(42))));
            assert!(well_formed(&format!("{}-_", "a".repeat(41))));
        }

        #[test]
        fn the_feed_url_ends_in_ics_under_the_public_url() {
            assert_eq!(
                url_of("https://aula.example.edu/", "tok"),
                "https://aula.example.edu/calendar/feed/tok.ics"
            );
            assert_eq!(hash("tok").len(), 64);
        }
    }
}
