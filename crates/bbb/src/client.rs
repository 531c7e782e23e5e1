//! The BigBlueButton API client: every call is a GET to `<api>/<call>?<query>&checksum=…`,
//! signed over exactly the bytes sent — except `create` with slides, a POST whose XML body BBB does
//! not sign. Transient failures (network, timeouts, 5xx) are retried twice with a short back-off;
//! every BBB call is safe to repeat (`create` is idempotent).

use std::time::Duration;

use serde::Deserialize;

pub use super::create::{CreateMeeting, Slides};
use super::{
    checksum::{ChecksumAlgo, signed_query},
    create::{create_params, presentation_xml},
    error::BbbError,
    xml::{self, Created, Deleted, MeetingInfo, Meetings, Published, Recordings, Running, Updated},
};

#[derive(Clone)]
pub struct BbbServer {
    /// e.g. `https://bbb.example.edu/bigbluebutton/api`
    pub api_url: String,
    pub secret: String,
    pub algo: ChecksumAlgo,
}

impl std::fmt::Debug for BbbServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BbbServer")
            .field("api_url", &self.api_url)
            .field("secret", &"<redacted>")
            .field("algo", &self.algo)
            .finish()
    }
}

/// Who joins and as what.
#[derive(Debug, Clone)]
pub struct JoinAs {
    pub meeting_id: String,
    pub full_name: String,
    pub moderator: bool,
    pub user_id: String,
    pub avatar_url: Option<String>,
    pub create_time: i64,
    pub guest: bool,
}

pub struct BbbClient {
    http: reqwest::Client,
    retries: u32,
}

impl BbbClient {
    pub fn new(timeout: Duration) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout)
                .build()
                .unwrap_or_default(),
            retries: 2,
        }
    }

    /// The signed URL of one call.
    pub fn url(server: &BbbServer, call: &str, params: &[(&str, String)]) -> String {
        format!(
            "{}/{call}?{}",
            server.api_url.trim_end_matches('/'),
            signed_query(server.algo, call, params, &server.secret)
        )
    }

    /// GETs `url`, or POSTs `xml_body` to it, retrying transient failures.
    async fn send(&self, url: &str, xml_body: Option<&str>) -> Result<String, BbbError> {
        let mut attempt = 0;
        loop {
            let request = match xml_body {
                Some(body) => self
                    .http
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/xml")
                    .body(body.to_owned()),
                None => self.http.get(url),
            };
            let result = match request.send().await {
                Ok(r) if r.status().is_server_error() => Err(BbbError::Unreachable(format!(
                    "HTTP {}",
                    r.status().as_u16()
                ))),
                Ok(r) => r.text().await.map_err(|e| {
                    if e.is_timeout() {
                        BbbError::Timeout
                    } else {
                        BbbError::Unreachable("reading the answer".into())
                    }
                }),
                Err(e) if e.is_timeout() => Err(BbbError::Timeout),
                Err(e) => Err(BbbError::Unreachable(if e.is_connect() {
                    "connection refused".into()
                } else {
                    "request failed".into()
                })),
            };
            match result {
                Err(e) if e.is_transient() && attempt < self.retries => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
                other => return other,
            }
        }
    }

    async fn call<T: for<'de> Deserialize<'de>>(
        &self,
        server: &BbbServer,
        call: &str,
        params: &[(&str, String)],
    ) -> Result<T, BbbError> {
        xml::parse(&self.send(&Self::url(server, call, params), None).await?)
    }

    /// `GET <api>` (no checksum): the server's version, for the health check.
    pub async fn version(&self, server: &BbbServer) -> Result<String, BbbError> {
        let text = self
            .send(server.api_url.trim_end_matches('/'), None)
            .await?;
        Ok(xml::parse::<xml::Version>(&text)?.version)
    }

    /// Creates the meeting (or finds it running: BBB answers `duplicateWarning` with the same
    /// `createTime`). With slides it is a POST carrying them.
    pub async fn create(&self, server: &BbbServer, m: &CreateMeeting) -> Result<Created, BbbError> {
        let owned = create_params(m);
        let params: Vec<(&str, String)> =
            owned.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let url = Self::url(server, "create", &params);
        let body = m.slides.as_ref().map(presentation_xml);
        xml::parse(&self.send(&url, body.as_deref()).await?)
    }

    /// The URL the browser opens to enter (BBB answers it with a redirect into its client).
    pub fn join_url(server: &BbbServer, j: &JoinAs) -> String {
        let mut p: Vec<(&str, String)> = vec![
            ("fullName", j.full_name.clone()),
            ("meetingID", j.meeting_id.clone()),
            (
                "role",
                if j.moderator { "MODERATOR" } else { "VIEWER" }.into(),
            ),
            ("userID", j.user_id.clone()),
            ("createTime", j.create_time.to_string()),
        ];
        if let Some(a) = &j.avatar_url {
            p.push(("avatarURL", a.clone()));
        }
        if j.guest {
            p.push(("guest", "true".into()));
        }
        Self::url(server, "join", &p)
    }

    /// Ends the meeting (asynchronous on BBB's side; poll `is_meeting_running`).
    pub async fn end(&self, server: &BbbServer, meeting_id: &str) -> Result<(), BbbError> {
        self.call::<xml::Ack>(server, "end", &[("meetingID", meeting_id.into())])
            .await
            .map(|_| ())
    }

    pub async fn is_meeting_running(
        &self,
        server: &BbbServer,
        meeting_id: &str,
    ) -> Result<bool, BbbError> {
        Ok(self
            .call::<Running>(
                server,
                "isMeetingRunning",
                &[("meetingID", meeting_id.into())],
            )
            .await?
            .running)
    }

    pub async fn meeting_info(
        &self,
        server: &BbbServer,
        meeting_id: &str,
    ) -> Result<MeetingInfo, BbbError> {
        self.call(
            server,
            "getMeetingInfo",
            &[("meetingID", meeting_id.into())],
        )
        .await
    }

    pub async fn meetings(&self, server: &BbbServer) -> Result<Vec<MeetingInfo>, BbbError> {
        Ok(self
            .call::<Meetings>(server, "getMeetings", &[])
            .await?
            .meetings
            .meeting)
    }

    /// Every recording of the meetings, following BBB's pages (`offset`/`limit`, 100 max).
    pub async fn recordings(
        &self,
        server: &BbbServer,
        meeting_ids: &[String],
    ) -> Result<Vec<xml::Recording>, BbbError> {
        const PAGE: usize = 100;
        let mut all = Vec::new();
        loop {
            let page = self
                .call::<Recordings>(
                    server,
                    "getRecordings",
                    &[
                        ("meetingID", meeting_ids.join(",")),
                        ("offset", all.len().to_string()),
                        ("limit", PAGE.to_string()),
                    ],
                )
                .await?
                .recordings
                .recording;
            let n = page.len();
            all.extend(page);
            if n < PAGE {
                return Ok(all);
            }
        }
    }

    pub async fn publish(
        &self,
        server: &BbbServer,
        record_id: &str,
        publish: bool,
    ) -> Result<bool, BbbError> {
        Ok(self
            .call::<Published>(
                server,
                "publishRecordings",
                &[
                    ("recordID", record_id.into()),
                    ("publish", publish.to_string()),
                ],
            )
            .await?
            .published)
    }

    pub async fn delete(&self, server: &BbbServer, record_id: &str) -> Result<bool, BbbError> {
        Ok(self
            .call::<Deleted>(
                server,
                "deleteRecordings",
                &[("recordID", record_id.into())],
            )
            .await?
            .deleted)
    }

    /// Sets (or, with an empty value, removes) `meta_<key>` on a recording.
    pub async fn update_meta(
        &self,
        server: &BbbServer,
        record_id: &str,
        meta: &[(String, String)],
    ) -> Result<bool, BbbError> {
        let keys: Vec<String> = meta.iter().map(|(k, _)| format!("meta_{k}")).collect();
        let mut p: Vec<(&str, String)> = vec![("recordID", record_id.into())];
        for ((_, v), k) in meta.iter().zip(keys.iter()) {
            p.push((k.as_str(), v.clone()));
        }
        Ok(self
            .call::<Updated>(server, "updateRecordings", &p)
            .await?
            .updated)
    }

    /// Protects a recording (Scalelite's one-time playback links; Greenlight's "protected"), or
    /// lifts it. BBB itself ignores `protect`.
    pub async fn set_protected(
        &self,
        server: &BbbServer,
        record_id: &str,
        protect: bool,
    ) -> Result<bool, BbbError> {
        Ok(self
            .call::<Updated>(
                server,
                "updateRecordings",
                &[
                    ("recordID", record_id.into()),
                    ("protect", protect.to_string()),
                ],
            )
            .await?
            .updated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::verify_raw;

    fn server() -> BbbServer {
        BbbServer {
            api_url: "https://bbb.test/bigbluebutton/api/".into(),
            secret: "s3cret".into(),
            algo: ChecksumAlgo::Sha256,
        }
    }

    #[test]
    fn a_join_url_names_the_role_user_and_create_time_and_verifies() {
        let url = BbbClient::join_url(
            &server(),
            &JoinAs {
                meeting_id: "m 1".into(),
                full_name: "Zoë Ñ".into(),
                moderator: true,
                user_id: "aula-7".into(),
                avatar_url: None,
                create_time: 42,
                guest: false,
            },
        );
        assert!(url.starts_with("https://bbb.test/bigbluebutton/api/join?fullName=Zo%C3%AB+%C3%91&meetingID=m+1&role=MODERATOR&userID=aula-7&createTime=42&checksum="), "{url}");
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        assert!(verify_raw("join", query, "s3cret", &[ChecksumAlgo::Sha256]));
        assert!(!url.contains("s3cret"));
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        assert!(!format!("{:?}", server()).contains("s3cret"));
    }
}
