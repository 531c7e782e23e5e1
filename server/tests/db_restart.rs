//! PostgreSQL restarts in the middle of a heartbeat run. Aula must ride it out without a restart
//! of its own: `/healthz` reports the outage while it lasts, heartbeats sent meanwhile are
//! refused with 503 (the browser keeps and resends them), and every heartbeat Aula acknowledged
//! is in the database afterwards.
//!
//! The test runs its own PostgreSQL cluster (Debian's `initdb`/`pg_ctl`, on a free port, as the
//! `postgres` user), so stopping it disturbs nothing else.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::{path::PathBuf, process::Command, time::Duration};

use serde_json::{Value, json};

use helpers::{ActivityForm, spawn_app_with};

struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

fn as_postgres(bin: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = if unsafe_is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args).output().expect("run a PostgreSQL tool")
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    fn start() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's server binaries (Debian's postgresql package)")
            .flatten()
            .map(|e| e.path().join("bin"))
            .find(|p| p.join("pg_ctl").exists())
            .expect("pg_ctl");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let dir = std::env::temp_dir().join(format!("aula-pg-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        if unsafe_is_root() {
            let ok = Command::new("chown")
                .args(["postgres:postgres", dir.to_str().expect("utf-8")])
                .status()
                .expect("chown");
            assert!(ok.success());
        }
        let data = dir.join("data");
        let out = as_postgres(
            &bin.join("initdb"),
            &[
                "-D",
                data.to_str().expect("utf-8"),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let c = Cluster { bin, dir, port };
        c.ctl(&["start", "-w"]);
        c
    }

    fn ctl(&self, action: &[&str]) {
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let mut args = vec![
            "-D",
            data.to_str().expect("utf-8"),
            "-l",
            log.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(action);
        args.extend(["-o", opts.as_str(), "-m", "fast"]);
        let out = as_postgres(&self.bin.join("pg_ctl"), &args);
        assert!(
            out.status.success(),
            "pg_ctl {action:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = as_postgres(
            &self.bin.join("pg_ctl"),
            &[
                "-D",
                data.to_str().unwrap_or_default(),
                "stop",
                "-m",
                "immediate",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn beat(c: &helpers::Client, token: &str, seqs: &[i64]) -> (u16, Value) {
    let b: Vec<Value> = seqs
        .iter()
        .map(|s| json!({ "seq": s, "at": s * 30_000 }))
        .collect();
    let res = c
        .http
        .post(format!("{}/attendance/beat", c.base))
        .header("sec-fetch-site", "same-origin")
        .body(json!({ "t": token, "b": b }).to_string())
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("beat");
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn aula_rides_out_a_postgresql_restart_and_loses_no_acknowledged_heartbeat() {
    let pg = Cluster::start();
    let url = pg.url();
    let app = spawn_app_with(|c| {
        c.database_url = Some(url.clone());
        c.db_max_connections = 4;
    })
    .await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let student = app.login_as("sam@uni.test", false).await;
    let course = app
        .course_with(
            "R1",
            &[
                (
                    "tom@uni.test",
                    app::capabilities::CourseRole::EditingTeacher,
                ),
                ("sam@uni.test", app::capabilities::CourseRole::Student),
            ],
        )
        .await;
    let (_, activity) = teacher
        .create_activity(course, ActivityForm::open_now("Live"))
        .await;
    let activity = activity.to_string();
    let (s, opened) = student
        .call(
            "attendance/open",
            &[("activity_id", &activity), ("client_ms", "0")],
        )
        .await;
    assert_eq!(s, 200, "{opened}");
    let token = opened["token"].as_str().expect("token").to_owned();
    let clock = || async {
        let res = reqwest::Client::new()
            .post(format!("{}/__test/clock", app.base))
            .header("sec-fetch-site", "same-origin")
            .json(&json!({ "ms": 30_000 }))
            .send()
            .await
            .expect("clock");
        assert_eq!(res.status(), 200);
    };
    let health = || async {
        reqwest::get(format!("{}/healthz", app.base))
            .await
            .expect("healthz")
            .status()
            .as_u16()
    };

    // Like the browser: every beat not acknowledged is sent again with the next one.
    let mut pending: Vec<i64> = Vec::new();
    let mut acked = 0;
    let mut refused_during_outage = 0;
    for seq in 1..=12 {
        if seq == 5 {
            pg.ctl(&["stop"]);
            assert_eq!(health().await, 503, "the outage shows on /healthz");
        }
        if seq == 8 {
            pg.ctl(&["start", "-w"]);
        }
        clock().await;
        pending.push(seq);
        let (s, v) = beat(&student, &token, &pending).await;
        match s {
            200 => {
                acked = *pending.last().expect("sent");
                pending.clear();
            }
            503 => refused_during_outage += 1,
            other => panic!("beat {seq}: {other} {v}"),
        }
    }
    assert!(refused_during_outage > 0, "the outage was felt");
    assert_eq!(
        acked, 12,
        "once the database is back, everything kept gets through"
    );
    assert_eq!(health().await, 200, "recovered without a restart");

    // Every acknowledged beat is stored: 12 beats of 30 s are six minutes.
    let (s, r) = teacher
        .call("attendance/activity", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["rows"][0]["minutes"], 6, "{r}");
}
