//! The BigBlueButton recordings and session-log pages' own messages: one field per message and a
//! `const` per language (`texts/en.rs` …), so a missing translation does not compile. Kept apart
//! from the main catalogue so this feature does not touch everyone's files.

mod de;
mod en;
mod es;
mod fr;

pub use de::DE;
pub use en::EN;
pub use es::ES;
pub use fr::FR;

use crate::i18n::{Lang, use_lang};

#[derive(Debug)]
pub struct RoomTexts {
    pub confirm_delete: &'static str,
    pub delete: &'static str,
    pub deleted_note: &'static str,
    pub fmt_notes: &'static str,
    pub fmt_other: &'static str,
    pub fmt_podcast: &'static str,
    pub fmt_presentation: &'static str,
    pub fmt_screenshare: &'static str,
    pub fmt_video: &'static str,
    pub log_chats: &'static str,
    pub log_guest: &'static str,
    pub log_hands: &'static str,
    pub log_minutes: &'static str,
    pub log_moderator: &'static str,
    pub log_none: &'static str,
    pub log_participant: &'static str,
    pub log_session: &'static str,
    pub log_talk: &'static str,
    pub log_title: &'static str,
    pub mail_ready_body: &'static str,
    pub mail_ready_subject: &'static str,
    pub meetings: &'static str,
    pub minutes: &'static str,
    pub name_label: &'static str,
    pub none: &'static str,
    pub page_title: &'static str,
    pub play: &'static str,
    pub preview_alt: &'static str,
    pub processing: &'static str,
    pub protect: &'static str,
    pub protected: &'static str,
    pub publish: &'static str,
    pub rename: &'static str,
    pub title: &'static str,
    pub unprotect: &'static str,
    pub unpublish: &'static str,
    pub unpublished: &'static str,
    pub yes: &'static str,
}

/// The messages in `lang` (server code that writes outside a page, e.g. e-mails).
pub fn texts_for(lang: Lang) -> &'static RoomTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
        Lang::Fr => &FR,
        Lang::De => &DE,
    }
}

/// The current page's language's messages (as `i18n::use_texts`).
pub fn room_texts() -> &'static RoomTexts {
    texts_for(use_lang())
}

impl RoomTexts {
    /// The label of a playback format's link.
    pub fn format_label(&self, kind: &str) -> String {
        match kind {
            "presentation" => self.fmt_presentation.to_owned(),
            "video" => self.fmt_video.to_owned(),
            "podcast" => self.fmt_podcast.to_owned(),
            "screenshare" => self.fmt_screenshare.to_owned(),
            "notes" => self.fmt_notes.to_owned(),
            other => crate::i18n::fill(self.fmt_other, &[other]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_translates_the_page_title_differently() {
        let titles: std::collections::HashSet<_> = Lang::ALL
            .into_iter()
            .map(|l| texts_for(l).page_title)
            .collect();
        assert_eq!(titles.len(), 4);
    }

    #[test]
    fn templates_keep_their_placeholders_in_every_language() {
        let holes = |s: &str| s.matches("{}").count();
        for l in Lang::ALL {
            let t = texts_for(l);
            for (en, other) in [
                (EN.fmt_other, t.fmt_other),
                (EN.log_session, t.log_session),
                (EN.mail_ready_body, t.mail_ready_body),
                (EN.mail_ready_subject, t.mail_ready_subject),
                (EN.minutes, t.minutes),
                (EN.play, t.play),
                (EN.preview_alt, t.preview_alt),
            ] {
                assert_eq!(holes(en), holes(other), "{l:?}: {other}");
            }
        }
    }

    #[test]
    fn known_formats_have_their_own_names_and_others_are_named_as_bbb_names_them() {
        assert_eq!(EN.format_label("video"), "Video");
        assert_eq!(EN.format_label("captions"), "Play (captions)");
    }
}
