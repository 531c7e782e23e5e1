//! The admin page for meeting servers: list, test, default, delete, and one form for adding or
//! editing. Secrets are write-only: the form says whether one is set, never what it is.

use crate::components::page_heading::PageHeading;

use leptos::prelude::*;

use super::{
    DeleteServer, MakeDefaultServer, SaveServer, TestServer, list_servers,
    model::{CHECKSUM_ALGOS, DEFAULT_CHECKSUM, ModerationRule, ServerKind, ServerRow, ServerTest},
};
use crate::{
    components::{
        error_page::{ErrorPage, Loading},
        forms::{Field, FormError, field_error, form_error},
    },
    i18n::{Texts, fill, use_texts},
};

fn kind_label(t: &Texts, k: ServerKind) -> &'static str {
    match k {
        ServerKind::Public => t.srv_kind_public,
        ServerKind::Jwt => t.srv_kind_jwt,
        ServerKind::Jaas => t.srv_kind_jaas,
        ServerKind::Bbb => t.srv_kind_bbb,
    }
}

fn test_message(t: &Texts, r: &ServerTest) -> String {
    if r.ok && r.detail != "ok" {
        // BigBlueButton answers its version.
        return fill(t.srv_test_bbb_ok, &[&r.url, &r.detail]);
    }
    if r.ok {
        return fill(t.srv_test_ok, &[&r.url]);
    }
    let why = match r.detail.as_str() {
        "timeout" => t.srv_detail_timeout.to_owned(),
        "status" => fill(t.srv_detail_status, &[&r.status.unwrap_or(0).to_string()]),
        "not_api" => t.srv_detail_not_api.to_owned(),
        "not_bbb" => t.srv_detail_not_bbb.to_owned(),
        _ => t.srv_detail_unreachable.to_owned(),
    };
    fill(t.srv_test_failed, &[&r.url, &why])
}

#[component]
pub fn AdminServersPage() -> impl IntoView {
    let t = use_texts();
    let save = ServerAction::<SaveServer>::new();
    let delete = ServerAction::<DeleteServer>::new();
    let default = ServerAction::<MakeDefaultServer>::new();
    let test = ServerAction::<TestServer>::new();
    let editing = RwSignal::new(None::<ServerRow>);
    let servers = Resource::new(
        move || {
            (
                save.version().get(),
                delete.version().get(),
                default.version().get(),
            )
        },
        |_| list_servers(),
    );
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    view! {
        <PageHeading text={t.srv_title} />
        <section class="card" aria-labelledby="servers-h">
            <h2 id="servers-h" class="visually-hidden">{t.srv_title}</h2>
            <FormError message=form_error(delete.value()) />
            <FormError message=form_error(default.value()) />
            <div role="status" aria-live="polite" data-testid="server-test">
                {move || test.value().get().map(|r| match r {
                    Ok(r) => view! { <p class:ok=r.ok class:form-error=!r.ok>{test_message(t, &r)}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                })}
            </div>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match servers.await {
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="table" data-testid="servers-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t.srv_name}</th>
                                            <th scope="col">{t.srv_base_url}</th>
                                            <th scope="col">{t.srv_kind}</th>
                                            <th scope="col" class="num">{t.srv_activities}</th>
                                            <th scope="col">{t.actions}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|s| {
                                            let row = s.clone();
                                            view! {
                                                <tr data-server=s.id>
                                                    <th scope="row">
                                                        {s.name.clone()}
                                                        {s.is_default.then(|| view! { " " <span class="badge badge-open">{t.srv_default}</span> })}
                                                    </th>
                                                    <td><code>{s.base_url.clone()}</code></td>
                                                    <td>{kind_label(t, s.kind)}</td>
                                                    <td class="num">{s.activities}</td>
                                                    <td class="row-actions">
                                                        <ActionForm action=test attr:class="inline-form">
                                                            <input type="hidden" name="id" value=s.id />
                                                            <button type="submit" class="link-button">{t.srv_test}</button>
                                                        </ActionForm>
                                                        <button type="button" class="link-button" on:click=move |_| editing.set(Some(row.clone()))>
                                                            {t.edit}
                                                        </button>
                                                        {(!s.is_default).then(|| view! {
                                                            <ActionForm action=default attr:class="inline-form">
                                                                <input type="hidden" name="id" value=s.id />
                                                                <button type="submit" class="link-button">{t.srv_make_default}</button>
                                                            </ActionForm>
                                                        })}
                                                        {(!s.is_default && s.activities == 0).then(|| view! {
                                                            <ActionForm action=delete attr:class="inline-form">
                                                                <input type="hidden" name="id" value=s.id />
                                                                <button type="submit" class="link-button danger">{t.srv_delete}</button>
                                                            </ActionForm>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        {move || {
            let current = editing.get();
            view! { <ServerForm current save editing /> }
        }}
    }
}

#[component]
fn ServerForm(
    current: Option<ServerRow>,
    save: ServerAction<SaveServer>,
    editing: RwSignal<Option<ServerRow>>,
) -> impl IntoView {
    let t = use_texts();
    let c = current.clone().unwrap_or(ServerRow {
        id: 0,
        name: String::new(),
        base_url: String::new(),
        kind: ServerKind::Jwt,
        is_default: false,
        app_id: String::new(),
        moderation_rule: ModerationRule::Affiliation,
        key_id: String::new(),
        has_secret: false,
        has_private_key: false,
        token_ttl_secs: 120,
        checksum_algo: DEFAULT_CHECKSUM.into(),
        activities: 0,
    });
    let kind = RwSignal::new(c.kind);
    let heading = match &current {
        Some(s) => fill(t.srv_edit, &[&s.name]),
        None => t.srv_add.to_owned(),
    };
    let secret_hint = if c.has_secret {
        t.srv_secret_keep
    } else {
        t.srv_secret_hint
    };
    let key_hint = if c.has_private_key {
        t.srv_secret_keep
    } else {
        t.srv_key_hint
    };
    view! {
        <section class="card" aria-labelledby="server-form-h">
            <h2 id="server-form-h">{heading}</h2>
            <ActionForm action=save>
                <FormError message=form_error(save.value()) />
                {current.as_ref().map(|s| view! { <input type="hidden" name="id" value=s.id /> })}
                <div class="two-col">
                    <Field label=t.srv_name name="name" value=c.name.clone() required=true error=field_error(save.value(), "name") />
                    <Field label=t.srv_base_url name="base_url" kind="url" value=c.base_url.clone() required=true error=field_error(save.value(), "base_url") />
                </div>
                <div class="field">
                    <label for="f-kind">{t.srv_kind}</label>
                    <select id="f-kind" name="kind" on:change=move |ev| {
                        if let Some(k) = ServerKind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }>
                        {ServerKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=k == c.kind>{kind_label(t, k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="kind-fields" class:hidden=move || kind.get() == ServerKind::Public>
                    <legend>{move || kind_label(t, kind.get())}</legend>
                    <div class:hidden=move || kind.get().is_bbb()>
                        <Field label=t.srv_app_id name="app_id" value=c.app_id.clone() error=field_error(save.value(), "app_id") />
                    </div>
                    <div class:hidden=move || !matches!(kind.get(), ServerKind::Jwt | ServerKind::Bbb)>
                        <Field label=t.srv_secret name="secret" kind="password" autocomplete="new-password"
                            hint=secret_hint.to_owned() error=field_error(save.value(), "secret") />
                    </div>
                    <div class="field" class:hidden=move || !kind.get().is_bbb()>
                        <label for="f-checksum">{t.srv_checksum}</label>
                        <select id="f-checksum" name="checksum_algo" aria-describedby="f-checksum-hint">
                            {CHECKSUM_ALGOS.into_iter().map(|a| view! {
                                <option value=a selected=a == c.checksum_algo>{a.to_uppercase()}</option>
                            }).collect_view()}
                        </select>
                        <small id="f-checksum-hint" class="hint">{t.srv_checksum_hint}</small>
                        {move || field_error(save.value(), "checksum_algo").get().map(|m| view! { <small class="field-error">{m}</small> })}
                    </div>
                    <div class:hidden=move || kind.get() != ServerKind::Jwt>
                        <div class="field">
                            <label for="f-rule">{t.srv_rule}</label>
                            <select id="f-rule" name="moderation_rule">
                                <option value="affiliation" selected=c.moderation_rule == ModerationRule::Affiliation>{t.srv_rule_affiliation}</option>
                                <option value="moderator" selected=c.moderation_rule == ModerationRule::ModeratorClaim>{t.srv_rule_moderator}</option>
                            </select>
                        </div>
                    </div>
                    <div class:hidden=move || kind.get() != ServerKind::Jaas>
                        <Field label=t.srv_key_id name="key_id" value=c.key_id.clone() error=field_error(save.value(), "key_id") />
                        <div class="field" class:has-error=move || field_error(save.value(), "private_key").get().is_some()>
                            <label for="f-private-key">{t.srv_private_key}</label>
                            <textarea id="f-private-key" name="private_key" rows="6" autocomplete="off" spellcheck="false"
                                aria-describedby="f-private-key-hint"></textarea>
                            <small id="f-private-key-hint" class="hint">{key_hint}</small>
                            {move || field_error(save.value(), "private_key").get().map(|m| view! { <small class="field-error">{m}</small> })}
                        </div>
                    </div>
                    <div class:hidden=move || kind.get().is_bbb()>
                        <Field label=t.srv_ttl name="token_ttl_secs" kind="number" value=c.token_ttl_secs.to_string()
                            error=field_error(save.value(), "token_ttl_secs") />
                    </div>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">{t.srv_save}</button>
                    {current.is_some().then(|| view! {
                        <button type="button" on:click=move |_| editing.set(None)>{t.srv_cancel}</button>
                    })}
                </div>
                {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p role="status" class="ok">{t.srv_saved}</p> })}
            </ActionForm>
        </section>
    }
}
