//! Pieces of the meeting form: checkboxes and error lines, and the recurrence fields (frequency,
//! every N, weekdays, which day of the month, how the series ends). Sections that do not apply
//! are hidden, not removed, so the form posts the same fields whatever was chosen.

use leptos::prelude::*;

use super::{
    rule::{CivilDate, MonthlyBy, RecurrenceDraft},
    texts::{MeetingTexts, meeting_texts},
};
use crate::i18n::fill;

/// The error message (if any) of one field, by name.
pub type Errors = Callback<&'static str, Signal<Option<String>>>;

/// A field's error line, announced with the field it follows.
#[component]
pub fn ErrorLine(errors: Errors, field: &'static str) -> impl IntoView {
    let e = errors.run(field);
    move || {
        e.get()
            .map(|m| view! { <small id=format!("f-{field}-error") class="field-error">{m}</small> })
    }
}

/// A labelled checkbox posting `value` under `name` when ticked.
#[component]
pub fn CheckField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "on")] value: &'static str,
    checked: bool,
    errors: Errors,
    #[prop(optional)] on_toggle: Option<Callback<bool>>,
    #[prop(optional, into)] disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field checkbox">
            <input
                type="checkbox"
                id=id.clone()
                name=name
                value=value
                checked=checked
                disabled=move || disabled.is_some_and(|d| d.get())
                on:change=move |ev| {
                    if let Some(cb) = on_toggle {
                        cb.run(event_target_checked(&ev));
                    }
                }
            />
            <label for=id>{label}</label>
            <ErrorLine errors field=name />
        </div>
    }
}

/// "Monday" in English, "Lundi" as a checkbox label in French (mid-sentence it stays lowercase).
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The words for a monthly choice, given the series' first date (None while it is unreadable).
fn monthly_label(mt: &MeetingTexts, by: MonthlyBy, start: Option<CivilDate>) -> String {
    let weekday = start.map_or("…", |d| mt.weekdays[usize::from(d.weekday() - 1)]);
    match by {
        MonthlyBy::DayOfMonth => fill(
            mt.monthly_day,
            &[&start.map_or("…".to_owned(), |d| d.day.to_string())],
        ),
        MonthlyBy::NthWeekday => {
            let nth = start.map_or(1, |d| d.nth_weekday_of_month());
            let ordinal = mt
                .ordinals
                .get(usize::from(nth) - 1)
                .copied()
                .unwrap_or("…");
            fill(mt.monthly_nth, &[ordinal, weekday])
        }
        MonthlyBy::LastWeekday => fill(mt.monthly_last, &[weekday]),
    }
}

#[component]
pub fn RecurrenceFields(
    r: RecurrenceDraft,
    starts: Signal<String>,
    errors: Errors,
) -> impl IntoView {
    let mt = meeting_texts();
    let freq = RwSignal::new(r.frequency.clone());
    let ends = RwSignal::new(r.ends.clone());
    let start_date = move || starts.get().get(..10).and_then(CivilDate::parse);
    let frequencies = [
        ("none", mt.rep_none),
        ("daily", mt.rep_daily),
        ("weekly", mt.rep_weekly),
        ("monthly", mt.rep_monthly),
    ];
    let weekdays = r.weekdays.clone();
    let monthly_by = r.monthly_by.clone();
    view! {
        <div class="field">
            <label for="f-frequency">{mt.f_repeat}</label>
            <select id="f-frequency" name="frequency" on:change=move |ev| freq.set(event_target_value(&ev))>
                {frequencies.into_iter().map(|(v, label)| view! {
                    <option value=v selected=r.frequency == v>{label}</option>
                }).collect_view()}
            </select>
            <ErrorLine errors field="frequency" />
        </div>
        <div class:hidden=move || freq.get() == "none" data-testid="recurrence">
            <div class="field">
                <label for="f-interval">{mt.f_interval}</label>
                <input id="f-interval" name="interval" type="number" min="1" max="99" value=r.interval.clone()
                    aria-describedby="f-interval-hint" />
                <small id="f-interval-hint" class="hint">{mt.f_interval_hint}</small>
                <ErrorLine errors field="interval" />
            </div>
            <fieldset class="kind-fields" class:hidden=move || freq.get() != "weekly">
                <legend>{mt.f_weekdays}</legend>
                <div class="checks">
                    {(1u8..=7).map(|d| {
                        let id = format!("f-weekday-{d}");
                        view! {
                            <span class="check">
                                <input type="checkbox" id=id.clone() name="weekdays[]" value=d checked=weekdays.contains(&d) />
                                <label for=id>{capitalised(mt.weekdays[usize::from(d - 1)])}</label>
                            </span>
                        }
                    }).collect_view()}
                </div>
                <small class="hint">{mt.f_weekdays_hint}</small>
                <ErrorLine errors field="weekdays" />
            </fieldset>
            <fieldset class="kind-fields" class:hidden=move || freq.get() != "monthly">
                <legend>{mt.f_monthly_by}</legend>
                {MonthlyBy::ALL.into_iter().map(|by| {
                    let id = format!("f-monthly_by-{}", by.as_str());
                    let offered = move || start_date().is_none_or(|d| MonthlyBy::offered_for(d).contains(&by));
                    view! {
                        <div class="field checkbox">
                            <input type="radio" id=id.clone() name="monthly_by" value=by.as_str()
                                checked=monthly_by == by.as_str() disabled=move || !offered() />
                            <label for=id>{move || monthly_label(mt, by, start_date())}</label>
                        </div>
                    }
                }).collect_view()}
                <ErrorLine errors field="monthly_by" />
            </fieldset>
            <fieldset class="kind-fields">
                <legend>{mt.f_ends}</legend>
                {[("count", mt.ends_count), ("until", mt.ends_until)].into_iter().map(|(v, label)| {
                    let id = format!("f-ends-{v}");
                    view! {
                        <div class="field checkbox">
                            <input type="radio" id=id.clone() name="ends" value=v checked=r.ends == v
                                on:change=move |_| ends.set(v.to_owned()) />
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
                <ErrorLine errors field="ends" />
                <div class="two-col">
                    <div class="field" class:hidden=move || ends.get() != "count">
                        <label for="f-count">{mt.f_count}</label>
                        <input id="f-count" name="count" type="number" min="1" max="500" value=r.count.clone() />
                        <ErrorLine errors field="count" />
                    </div>
                    <div class="field" class:hidden=move || ends.get() != "until">
                        <label for="f-until">{mt.f_until}</label>
                        <input id="f-until" name="until" type="date" value=r.until.clone() />
                        <ErrorLine errors field="until" />
                    </div>
                </div>
            </fieldset>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::texts::{EN, FR};

    #[test]
    fn monthly_choices_name_the_day_the_series_falls_on() {
        // 2026-12-31 is the fifth and last Thursday of December.
        let start = CivilDate::new(2026, 12, 31);
        assert_eq!(
            monthly_label(&EN, MonthlyBy::DayOfMonth, start),
            "On day 31 of each month"
        );
        assert_eq!(
            monthly_label(&EN, MonthlyBy::LastWeekday, start),
            "On the last Thursday of each month"
        );
        assert_eq!(
            monthly_label(&FR, MonthlyBy::NthWeekday, CivilDate::new(2026, 12, 17)),
            "Le troisième jeudi de chaque mois"
        );
    }

    #[test]
    fn weekday_labels_start_with_a_capital() {
        assert_eq!(capitalised("miércoles"), "Miércoles");
        assert_eq!(capitalised(""), "");
    }
}
