//! Outgoing e-mail over SMTP: one crate for the one outside mail integration.
//! The relay comes from config; tests point it at a real SMTP server on loopback (aiosmtpd).

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
    transport::smtp::authentication::Credentials,
};

/// How the connection to the relay is secured. Parsed once from config, so a typo in the setting
/// stops the server at start instead of silently falling back to another mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum SmtpSecurity {
    /// STARTTLS on the submission port (587): the default.
    #[default]
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
    /// Plain text: for relays on loopback only.
    None,
}

impl std::str::FromStr for SmtpSecurity {
    type Err = UnknownSecurity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Self::Starttls),
            "tls" => Ok(Self::Tls),
            "none" => Ok(Self::None),
            _ => Err(UnknownSecurity(s.to_owned())),
        }
    }
}

impl TryFrom<String> for SmtpSecurity {
    type Error = UnknownSecurity;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// A `smtp_security` value that is none of `starttls`, `tls` or `none`.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("smtp_security must be starttls, tls or none, not {0:?}")]
pub struct UnknownSecurity(pub String);

/// How to reach the relay. `password` is never logged (`Debug` redacts it).
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(String),
    #[error("could not build the message")]
    Build,
    #[error("the relay refused or could not be reached: {0}")]
    Send(String),
}

/// One message with a plain-text body and a calendar attachment.
pub struct Invitation<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub ics: &'a str,
}

fn transport(s: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let builder = match s.security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
            .map_err(|e| MailError::Send(e.to_string()))?,
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
            .map_err(|e| MailError::Send(e.to_string()))?,
    };
    let mut builder = builder
        .port(s.port)
        .timeout(Some(std::time::Duration::from_secs(10)));
    if let (Some(u), Some(p)) = (&s.username, &s.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(builder.build())
}

/// The sender (from the settings) and the recipient, parsed.
fn addresses(s: &SmtpSettings, to: &str) -> Result<(Mailbox, Mailbox), MailError> {
    let from = s
        .from
        .parse()
        .map_err(|_| MailError::Address(s.from.clone()))?;
    let to = to.parse().map_err(|_| MailError::Address(to.to_owned()))?;
    Ok((from, to))
}

async fn deliver(s: &SmtpSettings, message: Message) -> Result<(), MailError> {
    transport(s)?
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| MailError::Send(e.to_string()))
}

pub async fn send(s: &SmtpSettings, m: Invitation<'_>) -> Result<(), MailError> {
    let (from, to) = addresses(s, m.to)?;
    // RFC 6047: the part's `method` must be the calendar's METHOD (PUBLISH when it has none).
    let method = m
        .ics
        .lines()
        .find_map(|l| l.strip_prefix("METHOD:"))
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphabetic()))
        .unwrap_or("PUBLISH");
    let calendar = Attachment::new("invitation.ics".to_owned()).body(
        m.ics.to_owned(),
        ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|_| MailError::Build)?,
    );
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject)
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(m.body.to_owned()))
                .singlepart(calendar),
        )
        .map_err(|_| MailError::Build)?;
    deliver(s, message).await
}

/// A plain-text notice (e.g. to admins when a streaming account fails).
pub async fn send_plain(
    s: &SmtpSettings,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), MailError> {
    let (from, to) = addresses(s, to)?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .singlepart(SinglePart::plain(body.to_owned()))
        .map_err(|_| MailError::Build)?;
    deliver(s, message).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_security_mode_parses_whatever_its_case() {
        assert_eq!("starttls".parse(), Ok(SmtpSecurity::Starttls));
        assert_eq!(" TLS ".parse(), Ok(SmtpSecurity::Tls));
        assert_eq!("None".parse(), Ok(SmtpSecurity::None));
    }

    #[test]
    fn an_unknown_security_mode_is_an_error_not_starttls() {
        assert_eq!(
            "ssl".parse::<SmtpSecurity>(),
            Err(UnknownSecurity("ssl".into()))
        );
        assert!("".parse::<SmtpSecurity>().is_err());
    }

    #[test]
    fn the_password_never_appears_in_debug_output() {
        let s = SmtpSettings {
            host: "relay.example".into(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: Some("aula".into()),
            password: Some("hunter2".into()),
            from: "Aula <aula@example.org>".into(),
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}
