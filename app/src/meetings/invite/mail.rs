//! The invitation e-mail's plain text, in the inviter's language.

use crate::{i18n::fill, meetings::invite_texts::InviteTexts};

/// What an invitation says about the access code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeLine {
    None,
    Included(String),
    Separate,
}

/// Everything the e-mail's text is made of.
pub struct MailFacts<'a> {
    pub sender: &'a str,
    /// The owner's name when a co-owner or an admin sends.
    pub owner: Option<&'a str>,
    pub meeting: &'a str,
    /// The running or next session, formatted in the meeting's zone.
    pub next: &'a str,
    pub zone: &'a str,
    pub minutes: i32,
    pub rule: Option<String>,
    pub link: &'a str,
    pub welcome: &'a str,
    pub code: &'a CodeLine,
}

/// The plain-text body of an invitation.
pub fn mail_body(t: &InviteTexts, f: &MailFacts) -> String {
    let mut parts = vec![match f.owner {
        Some(owner) => fill(t.mail_intro_for, &[f.sender, f.meeting, owner]),
        None => fill(t.mail_intro, &[f.sender, f.meeting]),
    }];
    let mut when = fill(t.mail_next, &[f.next, f.zone, &f.minutes.to_string()]);
    if let Some(rule) = &f.rule {
        when.push('\n');
        when.push_str(&fill(t.mail_repeats, &[rule]));
    }
    parts.push(when);
    parts.push(format!("{}\n{}", t.mail_join, f.link));
    if !f.welcome.trim().is_empty() {
        parts.push(format!("{}\n{}", t.mail_welcome, f.welcome.trim()));
    }
    match f.code {
        CodeLine::None => {}
        CodeLine::Included(code) => parts.push(fill(t.mail_code, &[code])),
        CodeLine::Separate => parts.push(t.mail_code_separate.to_owned()),
    }
    parts.push(t.mail_calendar.to_owned());
    parts.join("\n\n")
}
