//! Translations. `Texts` is a struct with one field per message, and each language is a `const`
//! of it, so a key missing in any language is a compile error, and unknown keys cannot be used.
//!
//! The language is decided once per request: the user's preference (mirrored in the `aula_lang`
//! cookie at login and on change), then the browser's `Accept-Language`, then English. The server
//! writes it into `<html lang>`, and the browser reads it back from there when hydrating, so both
//! sides render the same words without a round trip.

mod de;
mod en;
mod es;
mod fr;
mod texts;

use serde::{Deserialize, Serialize};
pub use texts::Texts;

use crate::error::FieldCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
    Fr,
    De,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Es, Lang::Fr, Lang::De];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }

    /// The language's own name, as shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::parse) else {
                continue;
            };
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::EN,
            Lang::Es => &es::ES,
            Lang::Fr => &fr::FR,
            Lang::De => &de::DE,
        }
    }
}

/// The current request's language: provided by `App`, or, inside an island hydrating in the
/// browser (where the app's contexts do not exist), read back from `<html lang>`.
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_else(document_lang)
}

/// The language the server wrote into `<html lang>` (English outside a browser).
pub fn document_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Lang::default()
    }
}

/// The current language's messages.
pub fn use_texts() -> &'static Texts {
    use_lang().texts()
}

/// Replaces `{}` placeholders in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

impl Texts {
    /// What went wrong outside Aula, in words a teacher or admin can act on.
    pub fn external_message(&self, f: crate::error::ExternalFailure) -> &'static str {
        use crate::error::ExternalFailure::*;
        match f {
            NoStreamingAccount => self.err_no_account,
            AccountNeedsReauthorisation => self.err_reauth,
            YoutubeQuota => self.err_quota,
            ChannelCannotStream => self.err_cannot_stream,
            YoutubeUnavailable => self.err_yt_unavailable,
            YoutubeTimeout => self.err_yt_timeout,
            YoutubeRefused => self.err_yt_refused,
            MeetingRefused => self.err_meeting_refused,
            BbbUnavailable => self.err_bbb_unavailable,
            BbbTimeout => self.err_bbb_timeout,
            BbbChecksum => self.err_bbb_checksum,
            BbbFull => self.err_bbb_full,
            BbbRefused => self.err_bbb_refused,
        }
    }

    /// The message for a refused field.
    pub fn field_message(&self, code: FieldCode) -> String {
        match code {
            FieldCode::Required => self.err_required.to_owned(),
            FieldCode::TooLong(n) => fill(self.err_too_long, &[&n.to_string()]),
            FieldCode::TooShort(n) => fill(self.err_too_short, &[&n.to_string()]),
            FieldCode::InvalidEmail => self.err_invalid_email.to_owned(),
            FieldCode::InvalidUrl => self.err_invalid_url.to_owned(),
            FieldCode::InvalidDate => self.err_invalid_date.to_owned(),
            FieldCode::ClosingNotAfterOpening => self.err_closing_before_opening.to_owned(),
            FieldCode::InvalidKey => self.err_invalid_key.to_owned(),
            FieldCode::KeyIdMismatch => self.err_key_id_mismatch.to_owned(),
            FieldCode::OutOfRange(a, b) => {
                fill(self.err_out_of_range, &[&a.to_string(), &b.to_string()])
            }
            FieldCode::AlreadyTaken => self.err_already_taken.to_owned(),
            FieldCode::UnknownUser => self.err_unknown_user.to_owned(),
            FieldCode::UnknownRole => self.err_unknown_role.to_owned(),
            FieldCode::InvalidChoice => self.err_invalid_choice.to_owned(),
            FieldCode::StartDayNotChosen => self.err_start_day_not_chosen.to_owned(),
            FieldCode::StartNotInSeries => self.err_start_not_in_series.to_owned(),
            FieldCode::TooManyOccurrences(n) => {
                fill(self.err_too_many_occurrences, &[&n.to_string()])
            }
        }
    }

    pub fn role_name(&self, role: crate::capabilities::CourseRole) -> &'static str {
        use crate::capabilities::CourseRole::*;
        match role {
            EditingTeacher => self.role_editing_teacher,
            NonEditingTeacher => self.role_teacher,
            Student => self.role_student,
            Guest => self.role_guest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_highest_weighted_supported_language() {
        assert_eq!(
            Lang::from_accept_language("de-CH,de;q=0.9,en;q=0.8"),
            Some(Lang::De)
        );
        assert_eq!(
            Lang::from_accept_language("ja, fr;q=0.5, es;q=0.7"),
            Some(Lang::Es)
        );
        assert_eq!(Lang::from_accept_language("ja, zh"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, fr;q=0.1"),
            Some(Lang::Fr)
        );
    }

    #[test]
    fn fill_replaces_placeholders_in_order_and_tolerates_missing_arguments() {
        assert_eq!(fill("{} of {}", &["1", "2"]), "1 of 2");
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
    }

    #[test]
    fn every_language_has_a_distinct_translation_of_the_login_title() {
        let titles: std::collections::HashSet<_> =
            Lang::ALL.iter().map(|l| l.texts().login_title).collect();
        assert_eq!(titles.len(), 4);
    }
}
