//! A recurrence rule in words, for the invitation e-mail: "Weekly on Monday and Wednesday,
//! 10 sessions", "Every 2 weeks on Friday, until 2027-06-30", "Monthly on the 3rd Friday". The
//! day a monthly series falls on comes from its first date, as in `ics::rrule`.

use crate::{
    i18n::fill,
    meetings::{
        invite_texts::InviteTexts,
        rule::{CivilDate, End, Frequency, MonthlyBy, Recurrence},
    },
};

/// `first` is the series' first date in its own zone.
pub fn describe(t: &InviteTexts, rule: &Recurrence, first: CivilDate) -> String {
    let n = rule.interval.to_string();
    let every_one = rule.interval <= 1;
    let weekday = |iso: u8| t.weekdays[usize::from(iso.clamp(1, 7) - 1)];
    let head = match rule.frequency {
        Frequency::Daily if every_one => t.daily.to_owned(),
        Frequency::Daily => fill(t.daily_n, &[&n]),
        Frequency::Weekly => {
            let mut days: Vec<u8> = rule
                .weekdays
                .iter()
                .copied()
                .filter(|d| (1..=7).contains(d))
                .collect();
            if days.is_empty() {
                // As `occurrences` and the RRULE do for a rule saved without days.
                days.push(first.weekday());
            }
            let names: Vec<&str> = days.into_iter().map(weekday).collect();
            let names = list(t, &names);
            if every_one {
                fill(t.weekly, &[&names])
            } else {
                fill(t.weekly_n, &[&n, &names])
            }
        }
        Frequency::Monthly => {
            let day_name = weekday(first.weekday());
            let which = match rule.monthly_by {
                MonthlyBy::DayOfMonth => fill(t.month_day, &[&first.day.to_string()]),
                MonthlyBy::NthWeekday => {
                    let nth = usize::from(first.nth_weekday_of_month().clamp(1, 4)) - 1;
                    fill(t.month_nth, &[t.ordinals[nth], day_name])
                }
                MonthlyBy::LastWeekday => fill(t.month_last, &[day_name]),
            };
            if every_one {
                fill(t.monthly, &[&which])
            } else {
                fill(t.monthly_n, &[&n, &which])
            }
        }
    };
    let end = match &rule.end {
        End::Count(1) => Some(t.count_one.to_owned()),
        End::Count(c) => Some(fill(t.count, &[&c.to_string()])),
        End::Until(_) => rule.end.until().map(|d| fill(t.until, &[&d.to_string()])),
    };
    match end {
        Some(end) => format!("{head}, {end}"),
        None => head,
    }
}

/// "a", "a and b", "a, b and c".
fn list(t: &InviteTexts, items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}{}{last}", rest.join(", "), t.and),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{i18n::Lang, meetings::invite_texts::invite_texts_for};

    fn rule(
        frequency: Frequency,
        interval: u32,
        weekdays: &[u8],
        by: MonthlyBy,
        end: End,
    ) -> Recurrence {
        Recurrence {
            frequency,
            interval,
            weekdays: weekdays.to_vec(),
            monthly_by: by,
            end,
        }
    }

    fn date(raw: &str) -> CivilDate {
        CivilDate::parse(raw).expect("date")
    }

    #[test]
    fn a_weekly_series_names_its_days_and_its_length() {
        let en = invite_texts_for(Lang::En);
        let r = rule(
            Frequency::Weekly,
            1,
            &[1, 3],
            MonthlyBy::DayOfMonth,
            End::Count(10),
        );
        assert_eq!(
            describe(en, &r, date("2026-06-01")),
            "Weekly on Monday and Wednesday, 10 sessions"
        );
        let r = rule(
            Frequency::Weekly,
            2,
            &[1, 3, 5],
            MonthlyBy::DayOfMonth,
            End::Until("2027-06-30".into()),
        );
        assert_eq!(
            describe(en, &r, date("2026-06-01")),
            "Every 2 weeks on Monday, Wednesday and Friday, until 2027-06-30"
        );
    }

    #[test]
    fn a_weekly_series_saved_without_days_meets_on_its_first_weekday() {
        let en = invite_texts_for(Lang::En);
        let r = rule(
            Frequency::Weekly,
            1,
            &[],
            MonthlyBy::DayOfMonth,
            End::Count(1),
        );
        // 2026-06-05 is a Friday.
        assert_eq!(
            describe(en, &r, date("2026-06-05")),
            "Weekly on Friday, 1 session"
        );
    }

    #[test]
    fn a_monthly_series_says_which_day_of_the_month_from_its_first_date() {
        let en = invite_texts_for(Lang::En);
        let end = End::Count(6);
        // 2026-06-19 is the 3rd Friday of June, and its last one is the 26th.
        let nth = rule(
            Frequency::Monthly,
            1,
            &[],
            MonthlyBy::NthWeekday,
            end.clone(),
        );
        assert_eq!(
            describe(en, &nth, date("2026-06-19")),
            "Monthly on the 3rd Friday, 6 sessions"
        );
        let last = rule(
            Frequency::Monthly,
            3,
            &[],
            MonthlyBy::LastWeekday,
            end.clone(),
        );
        assert_eq!(
            describe(en, &last, date("2026-06-26")),
            "Every 3 months on the last Friday, 6 sessions"
        );
        let day = rule(Frequency::Monthly, 1, &[], MonthlyBy::DayOfMonth, end);
        assert_eq!(
            describe(en, &day, date("2026-06-15")),
            "Monthly on day 15, 6 sessions"
        );
    }

    #[test]
    fn daily_series_read_naturally_in_every_language() {
        let r = rule(
            Frequency::Daily,
            2,
            &[],
            MonthlyBy::DayOfMonth,
            End::Until("2026-07-01".into()),
        );
        let got: Vec<String> = Lang::ALL
            .into_iter()
            .map(|l| describe(invite_texts_for(l), &r, date("2026-06-01")))
            .collect();
        assert_eq!(
            got,
            [
                "Every 2 days, until 2026-07-01",
                "Cada 2 días, hasta el 2026-07-01",
                "Tous les 2 jours, jusqu’au 2026-07-01",
                "Alle 2 Tage, bis 2026-07-01",
            ]
        );
    }

    #[test]
    fn weekday_lists_are_joined_in_the_inviters_language() {
        let r = rule(
            Frequency::Weekly,
            1,
            &[2, 4],
            MonthlyBy::DayOfMonth,
            End::Count(4),
        );
        let de = invite_texts_for(Lang::De);
        assert_eq!(
            describe(de, &r, date("2026-06-02")),
            "Wöchentlich am Dienstag und Donnerstag, 4 Termine"
        );
        let fr = invite_texts_for(Lang::Fr);
        let m = rule(
            Frequency::Monthly,
            1,
            &[],
            MonthlyBy::NthWeekday,
            End::Count(4),
        );
        assert_eq!(
            describe(fr, &m, date("2026-06-19")),
            "Chaque mois, le troisième vendredi, 4 séances"
        );
    }
}
