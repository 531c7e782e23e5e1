//! Encryption of secrets at rest (JWT secrets, private keys, OAuth refresh tokens): XChaCha20-Poly1305
//! with a 32-byte master key and a random 24-byte nonce per value. Stored as base64(nonce || ciphertext).
//! The AEAD tag means a tampered or foreign value fails to decrypt instead of yielding garbage.

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit},
};
use rand::RngCore;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the master key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("the stored secret is malformed or was encrypted with another key")]
    Undecryptable,
}

pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    master: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<redacted>)")
    }
}

impl SecretBox {
    pub fn generate_key() -> String {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        STANDARD.encode(key)
    }

    pub fn from_base64_key(key: &str) -> Result<Self, CryptoError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| CryptoError::BadKey)?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| CryptoError::BadKey)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self { cipher, master })
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        let ct = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    /// A key for one purpose (e.g. signing attendance tokens), derived from the master key with
    /// HMAC-SHA256, so every replica sharing the master key derives the same one and no purpose
    /// ever uses the master key itself.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac, digest::KeyInit};
        // HMAC zero-pads short keys to the block size; padding here gives the same MAC without
        // the fallible variable-length constructor.
        let mut key = [0u8; 64];
        key[..32].copy_from_slice(&self.master);
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new(&key.into());
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let bytes = STANDARD
            .decode(stored)
            .map_err(|_| CryptoError::Undecryptable)?;
        if bytes.len() < 24 + 16 {
            return Err(CryptoError::Undecryptable);
        }
        let (nonce, ct) = bytes.split_at(24);
        let pt = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| CryptoError::Undecryptable)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_round_trips_and_is_not_stored_in_clear() {
        let b = SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap();
        let stored = b.encrypt("jitsi-app-secret");
        assert!(!stored.contains("jitsi"));
        assert_eq!(b.decrypt(&stored).unwrap(), "jitsi-app-secret");
    }

    #[test]
    fn encrypting_twice_gives_different_ciphertexts() {
        let b = SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap();
        assert_ne!(b.encrypt("same"), b.encrypt("same"));
    }

    #[test]
    fn another_key_or_a_flipped_bit_fails_to_decrypt() {
        let a = SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap();
        let b = SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap();
        let stored = a.encrypt("token");
        assert_eq!(b.decrypt(&stored), Err(CryptoError::Undecryptable));
        let mut raw = STANDARD.decode(&stored).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        assert_eq!(
            a.decrypt(&STANDARD.encode(raw)),
            Err(CryptoError::Undecryptable)
        );
        assert_eq!(a.decrypt("not base64!"), Err(CryptoError::Undecryptable));
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_by_master_key() {
        let key = SecretBox::generate_key();
        let a = SecretBox::from_base64_key(&key).unwrap();
        let a2 = SecretBox::from_base64_key(&key).unwrap();
        let b = SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap();
        assert_eq!(a.derive_key("x"), a2.derive_key("x"));
        assert_ne!(a.derive_key("x"), a.derive_key("y"));
        assert_ne!(a.derive_key("x"), b.derive_key("x"));
    }

    #[test]
    fn keys_of_the_wrong_length_are_refused() {
        assert_eq!(
            SecretBox::from_base64_key(&STANDARD.encode([0u8; 16])).unwrap_err(),
            CryptoError::BadKey
        );
        assert!(
            format!(
                "{:?}",
                SecretBox::from_base64_key(&SecretBox::generate_key()).unwrap()
            )
            .contains("redacted")
        );
    }
}
