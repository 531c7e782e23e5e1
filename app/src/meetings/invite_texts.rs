//! Messages of e-mail invitations to meetings and of the personal calendar feed: one field per
//! message and a `const` per language (`invite_texts/en.rs` …), so a missing translation does not
//! compile. Two structs, so the profile page carries only the feed's few strings.
//!
//! The invitation e-mail is written in the inviter's language (their profile's), the panels in the
//! page's language.

mod de;
mod en;
mod es;
mod fr;

use crate::i18n::{Lang, use_lang};

/// The invite panel, the invitation e-mail, and recurrence rules in words.
#[derive(Debug)]
pub struct InviteTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub emails: &'static str,
    pub emails_hint: &'static str,
    pub owner_copy: &'static str,
    pub code_included: &'static str,
    pub code_separate: &'static str,
    pub code_none: &'static str,
    pub change_code: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub smtp_missing: &'static str,
    pub series_over: &'static str,
    /// `{}` invitations sent (a number).
    pub sent_count: &'static str,
    pub status_sent: &'static str,
    pub status_invalid: &'static str,
    pub status_failed: &'static str,
    /// `{}`: the address the copy went to.
    pub your_copy: &'static str,
    pub sent_title: &'static str,
    pub sent_none: &'static str,
    pub col_address: &'static str,
    pub col_date: &'static str,
    pub col_by: &'static str,

    /// `{}`: the meeting's name.
    pub mail_subject: &'static str,
    /// `{}` the owner, `{}` the meeting.
    pub mail_intro: &'static str,
    /// A co-owner sends: `{}` the sender, `{}` the meeting, `{}` the owner.
    pub mail_intro_for: &'static str,
    /// `{}` date and time, `{}` the zone, `{}` minutes.
    pub mail_next: &'static str,
    /// `{}`: the rule in words.
    pub mail_repeats: &'static str,
    pub mail_join: &'static str,
    pub mail_welcome: &'static str,
    /// `{}`: the access code.
    pub mail_code: &'static str,
    pub mail_code_separate: &'static str,
    pub mail_calendar: &'static str,
    /// `{}`: the addresses the invitation went to.
    pub mail_copy: &'static str,

    pub daily: &'static str,
    /// `{}`: the interval.
    pub daily_n: &'static str,
    /// `{}`: the days.
    pub weekly: &'static str,
    /// `{}` the interval, `{}` the days.
    pub weekly_n: &'static str,
    /// `{}`: which day (`month_day`, `month_nth` or `month_last`).
    pub monthly: &'static str,
    /// `{}` the interval, `{}` which day.
    pub monthly_n: &'static str,
    /// `{}`: the day of the month.
    pub month_day: &'static str,
    /// `{}` an ordinal, `{}` a weekday.
    pub month_nth: &'static str,
    /// `{}`: a weekday.
    pub month_last: &'static str,
    pub ordinals: [&'static str; 4],
    /// Monday first.
    pub weekdays: [&'static str; 7],
    /// `{}`: the last date (`YYYY-MM-DD`).
    pub until: &'static str,
    /// `{}`: the number of sessions.
    pub count: &'static str,
    pub count_one: &'static str,
    /// Before the last item of a list ("Monday, Tuesday and Friday").
    pub and: &'static str,
}

/// The calendar-feed panel on the profile page, and the feed's own name.
#[derive(Debug)]
pub struct FeedTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub url_label: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub hint: &'static str,
    pub reset: &'static str,
    pub reset_confirm: &'static str,
    pub reset_cancel: &'static str,
    pub reset_done: &'static str,
    /// The calendar's name in calendar apps; `{}`: the user's name.
    pub calendar_name: &'static str,
}

/// The invitation messages in `lang` (the e-mail is written in the inviter's language).
pub fn invite_texts_for(lang: Lang) -> &'static InviteTexts {
    match lang {
        Lang::En => &en::INVITE,
        Lang::Es => &es::INVITE,
        Lang::Fr => &fr::INVITE,
        Lang::De => &de::INVITE,
    }
}

pub fn feed_texts_for(lang: Lang) -> &'static FeedTexts {
    match lang {
        Lang::En => &en::FEED,
        Lang::Es => &es::FEED,
        Lang::Fr => &fr::FEED,
        Lang::De => &de::FEED,
    }
}

/// The current page's invitation messages.
pub fn invite_texts() -> &'static InviteTexts {
    invite_texts_for(use_lang())
}

/// The current page's calendar-feed messages.
pub fn feed_texts() -> &'static FeedTexts {
    feed_texts_for(use_lang())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(s: &str) -> usize {
        s.matches("{}").count()
    }

    #[test]
    fn every_language_keeps_the_placeholders_of_each_template() {
        let en = invite_texts_for(Lang::En);
        for l in Lang::ALL {
            let t = invite_texts_for(l);
            for (a, b) in [
                (en.sent_count, t.sent_count),
                (en.your_copy, t.your_copy),
                (en.mail_subject, t.mail_subject),
                (en.mail_intro, t.mail_intro),
                (en.mail_intro_for, t.mail_intro_for),
                (en.mail_next, t.mail_next),
                (en.mail_repeats, t.mail_repeats),
                (en.mail_code, t.mail_code),
                (en.mail_copy, t.mail_copy),
                (en.daily, t.daily),
                (en.daily_n, t.daily_n),
                (en.weekly, t.weekly),
                (en.weekly_n, t.weekly_n),
                (en.monthly, t.monthly),
                (en.monthly_n, t.monthly_n),
                (en.month_day, t.month_day),
                (en.month_nth, t.month_nth),
                (en.month_last, t.month_last),
                (en.until, t.until),
                (en.count, t.count),
            ] {
                assert_eq!(holes(a), holes(b), "{l:?}: {b}");
            }
            let f = feed_texts_for(l);
            assert_eq!(holes(f.calendar_name), 1, "{l:?}");
        }
    }

    #[test]
    fn every_language_translates_the_panels_differently() {
        let titles: std::collections::HashSet<_> = Lang::ALL
            .into_iter()
            .map(|l| (invite_texts_for(l).title, feed_texts_for(l).title))
            .collect();
        assert_eq!(titles.len(), 4);
    }
}
