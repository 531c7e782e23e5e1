//! The meetings pages' own message catalogue: one field per message and a `const` per language
//! (`texts/en.rs` …), so a missing translation does not compile. Kept apart from the main
//! catalogue so the meetings feature can grow without touching everyone's files.

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
pub struct MeetingTexts {
    pub access_code: &'static str,
    pub access_courses: &'static str,
    pub access_link: &'static str,
    pub access_link_hint: &'static str,
    pub access_users: &'static str,
    pub add_co_owner: &'static str,
    pub after_create: &'static str,
    pub always_open: &'static str,
    pub cancel: &'static str,
    pub co_owner_email: &'static str,
    pub co_owner_of: &'static str,
    pub co_owners_hint: &'static str,
    pub co_owner_pending: &'static str,
    pub co_owner_withdraw: &'static str,
    pub withdraw: &'static str,
    pub code_needed: &'static str,
    pub code_wrong: &'static str,
    pub confirm_delete: &'static str,
    pub copy_link: &'static str,
    pub create: &'static str,
    pub delete: &'static str,
    pub delete_meeting: &'static str,
    pub edit: &'static str,
    /// The link to a meeting's recordings and session log.
    pub recordings: &'static str,
    pub edit_meeting: &'static str,
    pub ends_count: &'static str,
    pub ends_until: &'static str,
    pub f_access_code: &'static str,
    pub f_access_code_hint: &'static str,
    pub f_allow_start_stop: &'static str,
    pub f_auto_start: &'static str,
    pub f_code_in_invitations: &'static str,
    pub f_count: &'static str,
    pub f_courses: &'static str,
    pub f_duration: &'static str,
    pub f_ends: &'static str,
    pub f_guest_policy: &'static str,
    pub f_interval: &'static str,
    pub f_interval_hint: &'static str,
    pub f_max_duration: &'static str,
    pub f_max_duration_hint: &'static str,
    pub f_monthly_by: &'static str,
    pub f_name: &'static str,
    pub f_name_fixed: &'static str,
    pub f_record: &'static str,
    pub f_repeat: &'static str,
    pub f_server: &'static str,
    pub f_starts_at: &'static str,
    pub f_time_zone: &'static str,
    pub f_until: &'static str,
    pub f_weekdays: &'static str,
    pub f_weekdays_hint: &'static str,
    pub f_welcome: &'static str,
    pub f_welcome_hint: &'static str,
    pub fs_access: &'static str,
    pub fs_bbb: &'static str,
    pub fs_co_owners: &'static str,
    pub fs_schedule: &'static str,
    pub fs_slides: &'static str,
    pub join: &'static str,
    pub joining: &'static str,
    pub link_copied: &'static str,
    pub lobby_hint: &'static str,
    pub meeting_link: &'static str,
    pub monthly_day: &'static str,
    pub monthly_last: &'static str,
    pub monthly_nth: &'static str,
    pub my_meetings: &'static str,
    pub offers_title: &'static str,
    pub offer_line: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub name_needed: &'static str,
    pub nav_meetings: &'static str,
    pub new_meeting: &'static str,
    pub next_session: &'static str,
    pub no_bbb_server: &'static str,
    pub no_co_owners: &'static str,
    pub no_courses: &'static str,
    pub no_meetings: &'static str,
    pub not_started: &'static str,
    pub opens_in_tab: &'static str,
    pub ordinals: [&'static str; 4],
    pub organised_by: &'static str,
    pub other_meetings: &'static str,
    pub owner_hint: &'static str,
    pub personal_room: &'static str,
    pub personal_room_hint: &'static str,
    pub personal_room_of: &'static str,
    pub personal_room_setup: &'static str,
    pub personal_room_setup_hint: &'static str,
    pub rate_limited: &'static str,
    pub recurring: &'static str,
    pub refused: &'static str,
    pub remove: &'static str,
    pub remove_co_owner: &'static str,
    pub rep_daily: &'static str,
    pub rep_monthly: &'static str,
    pub rep_none: &'static str,
    pub rep_weekly: &'static str,
    pub running: &'static str,
    pub save: &'static str,
    pub series_over: &'static str,
    pub session_line: &'static str,
    pub sign_in: &'static str,
    pub sign_in_instead: &'static str,
    pub slides_current: &'static str,
    pub slides_file: &'static str,
    pub slides_hint: &'static str,
    pub slides_invalid: &'static str,
    pub slides_missing: &'static str,
    pub slides_none: &'static str,
    pub slides_remove: &'static str,
    pub slides_saved: &'static str,
    pub slides_too_large: &'static str,
    pub slides_upload: &'static str,
    pub start_meeting: &'static str,
    pub try_again: &'static str,
    pub waiting: &'static str,
    pub waiting_hint: &'static str,
    pub weekdays: [&'static str; 7],
    pub your_name: &'static str,
}

/// The messages in `lang` (server code that renders outside a page, e.g. BBB's meeting name).
pub fn texts_for(lang: Lang) -> &'static MeetingTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
        Lang::Fr => &FR,
        Lang::De => &DE,
    }
}

/// The navigation's "Meetings" link. Each arm reads one field of a `const`, which the compiler
/// folds to that string alone, so the frame every page loads does not carry this catalogue.
pub fn nav_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => EN.nav_meetings,
        Lang::Es => ES.nav_meetings,
        Lang::Fr => FR.nav_meetings,
        Lang::De => DE.nav_meetings,
    }
}

/// The current page's language's messages (as `i18n::use_texts`).
pub fn meeting_texts() -> &'static MeetingTexts {
    texts_for(use_lang())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_translates_the_meetings_title_differently() {
        let titles: std::collections::HashSet<_> = Lang::ALL
            .into_iter()
            .map(|l| texts_for(l).my_meetings)
            .collect();
        assert_eq!(titles.len(), 4);
    }

    #[test]
    fn templates_keep_their_placeholders_in_every_language() {
        let holes = |s: &str| s.matches("{}").count();
        for l in Lang::ALL {
            let t = texts_for(l);
            for (en, other) in [
                (EN.personal_room_of, t.personal_room_of),
                (EN.next_session, t.next_session),
                (EN.co_owner_of, t.co_owner_of),
                (EN.f_time_zone, t.f_time_zone),
                (EN.monthly_day, t.monthly_day),
                (EN.monthly_nth, t.monthly_nth),
                (EN.monthly_last, t.monthly_last),
                (EN.slides_current, t.slides_current),
                (EN.remove_co_owner, t.remove_co_owner),
                (EN.co_owner_withdraw, t.co_owner_withdraw),
                (EN.offer_line, t.offer_line),
                (EN.organised_by, t.organised_by),
                (EN.session_line, t.session_line),
            ] {
                assert_eq!(holes(en), holes(other), "{l:?}: {other}");
            }
        }
    }
}
