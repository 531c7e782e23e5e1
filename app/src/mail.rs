//! Outgoing e-mail over SMTP (server only): one module for the one outside mail integration.
//! The relay comes from config; tests point it at a real SMTP server on loopback.

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
    transport::smtp::authentication::Credentials,
};

/// How to reach the relay. `password` is never logged (`Debug` redacts it).
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `starttls` (default), `tls` (implicit TLS, port 465) or `none` (loopback relays only).
    pub security: String,
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
    let builder = match s.security.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
            .map_err(|e| MailError::Send(e.to_string()))?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
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
