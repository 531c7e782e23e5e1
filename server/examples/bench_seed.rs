//! Data and clients for `bench/attendance.sh` (the attendance heartbeat benchmark, issue 3).
//!
//! - `participants`: N students with login sessions in one course, one activity open now; opens
//!   one attendance session per student over HTTP (as the join page does) and writes
//!   `cookie<TAB>attendance_token<TAB>client_ms` lines for the load generators.
//! - `simulate`: every participant sends one heartbeat per period, spread evenly over the period,
//!   each participant on its own keep-alive connection (as browsers reaching Aula directly) or on
//!   a few shared ones (as behind a reverse proxy).
//! - `applied`: how many heartbeats the database holds for an activity (sum of `last_seq`), to
//!   check that the load generator's 200s were real writes.
//! - `course-report`: a course of S students × K past sessions with generated intervals, then the
//!   latency of the course report and of one activity report as a teacher sees them.
//!
//! Users get no password (sessions are inserted directly), so seeding needs no argon2.

use std::{
    collections::HashMap,
    io::Write,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use app::{
    auth::ssr::session_id,
    entities::{
        activity, attendance_interval as iv, attendance_session as sess, course, enrolment,
        jitsi_server, session, user,
    },
};
use clap::{Parser, Subcommand};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
    sea_query::Expr,
};
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(about = "Seeds data and drives load for bench/attendance.sh")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Students with sessions, one open activity, one attendance session each (over HTTP).
    Participants {
        #[arg(long)]
        db: String,
        #[arg(long)]
        base: String,
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        #[arg(long)]
        out: String,
        /// Attendance sessions opened concurrently.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
    /// One heartbeat per participant per period, spread evenly over the period.
    Simulate {
        #[arg(long)]
        base: String,
        #[arg(long)]
        file: String,
        /// Lines of the file to skip (used by another load generator).
        #[arg(long, default_value_t = 0)]
        skip: usize,
        /// Participants to simulate (default: the rest of the file).
        #[arg(long)]
        count: Option<usize>,
        #[arg(long, default_value_t = 30)]
        period_secs: u64,
        #[arg(long, default_value_t = 75)]
        duration_secs: u64,
        /// Keep-alive connections to the server; 0 = one per participant.
        #[arg(long, default_value_t = 0)]
        connections: usize,
    },
    /// Heartbeats stored for an activity (sum of the intervals' last seq).
    Applied {
        #[arg(long)]
        db: String,
        #[arg(long)]
        activity: i32,
    },
    /// Generates a course's attendance history and times its reports.
    CourseReport {
        #[arg(long)]
        db: String,
        #[arg(long)]
        base: String,
        #[arg(long, default_value_t = 500)]
        students: usize,
        #[arg(long, default_value_t = 40)]
        sessions: usize,
        #[arg(long, default_value_t = 90)]
        minutes: i64,
        #[arg(long, default_value_t = 30)]
        runs: usize,
        #[arg(long, default_value_t = 3)]
        warmups: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Participants {
            db,
            base,
            count,
            out,
            concurrency,
        } => participants(&db, &base, count, &out, concurrency).await,
        Cmd::Simulate {
            base,
            file,
            skip,
            count,
            period_secs,
            duration_secs,
            connections,
        } => {
            simulate(
                &base,
                &file,
                skip,
                count,
                period_secs,
                duration_secs,
                connections,
            )
            .await
        }
        Cmd::Applied { db, activity } => applied(&db, activity).await,
        Cmd::CourseReport {
            db,
            base,
            students,
            sessions,
            minutes,
            runs,
            warmups,
        } => course_report(&db, &base, students, sessions, minutes, runs, warmups).await,
    }
}

fn now_s() -> i64 {
    now_ms() / 1000
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fresh 64-hex-character session cookie value.
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Splitmix64: reproducible data without another dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo).max(1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 < p
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    server::db::connect_url(url, 4).await
}

async fn default_server(db: &DatabaseConnection) -> anyhow::Result<i32> {
    jitsi_server::Entity::find()
        .filter(jitsi_server::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .map(|s| s.id)
        .context("no default Jitsi server: start `aula serve` once before seeding")
}

fn new_user(email: String, name: String, t: i64) -> user::ActiveModel {
    user::ActiveModel {
        email: Set(email),
        display_name: Set(name),
        password_hash: Set(None),
        is_admin: Set(false),
        disabled: Set(false),
        avatar: Set(None),
        language: Set("en".into()),
        time_zone: Set(None),
        created_at: Set(t),
        ..Default::default()
    }
}

/// Inserts users `<prefix><i>@bench.test` for `i` in `0..n` and returns their ids in order.
async fn insert_users(db: &DatabaseConnection, prefix: &str, n: usize) -> anyhow::Result<Vec<i32>> {
    let t = now_s();
    let txn = db.begin().await?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        user::Entity::insert_many(chunk.iter().map(|i| {
            new_user(
                format!("{prefix}{i}@bench.test"),
                format!("Bench {prefix}{i:05}"),
                t,
            )
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    let rows: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Email])
        .filter(user::Column::Email.starts_with(prefix))
        .into_tuple()
        .all(db)
        .await?;
    let by_email: HashMap<String, i32> = rows.into_iter().map(|(id, e)| (e, id)).collect();
    (0..n)
        .map(|i| {
            by_email
                .get(&format!("{prefix}{i}@bench.test"))
                .copied()
                .context("inserted user not found")
        })
        .collect()
}

/// One login session per user; returns the cookie values in the same order.
async fn insert_sessions(db: &DatabaseConnection, ids: &[i32]) -> anyhow::Result<Vec<String>> {
    let t = now_s();
    let tokens: Vec<String> = ids.iter().map(|_| new_token()).collect();
    let txn = db.begin().await?;
    for (chunk_ids, chunk_tokens) in ids.chunks(1000).zip(tokens.chunks(1000)) {
        session::Entity::insert_many(chunk_ids.iter().zip(chunk_tokens).map(|(id, tok)| {
            session::ActiveModel {
                id: Set(session_id(tok)),
                user_id: Set(*id),
                created_at: Set(t),
                expires_at: Set(t + 7 * 86_400),
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(tokens)
}

async fn insert_course(db: &DatabaseConnection, short: &str, name: &str) -> anyhow::Result<i32> {
    let c = course::ActiveModel {
        name: Set(name.into()),
        short_name: Set(short.into()),
        description: Set("Generated by bench_seed".into()),
        created_at: Set(now_s()),
        ..Default::default()
    };
    Ok(course::Entity::insert(c).exec(db).await?.last_insert_id)
}

async fn enrol_all(
    db: &DatabaseConnection,
    course_id: i32,
    ids: &[i32],
    role: &str,
) -> anyhow::Result<()> {
    let t = now_s();
    let txn = db.begin().await?;
    for chunk in ids.chunks(1000) {
        enrolment::Entity::insert_many(chunk.iter().map(|id| enrolment::ActiveModel {
            course_id: Set(course_id),
            user_id: Set(*id),
            role: Set(role.into()),
            created_at: Set(t),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn insert_activity(
    db: &DatabaseConnection,
    course_id: i32,
    name: String,
    room: String,
    opens_at: i64,
    closes_at: i64,
    server_id: i32,
) -> anyhow::Result<i32> {
    let t = now_s();
    let a = activity::ActiveModel {
        course_id: Set(course_id),
        name: Set(name),
        description: Set(String::new()),
        opens_at: Set(opens_at),
        closes_at: Set(closes_at),
        early_entry_minutes: Set(0),
        completion_minutes: Set(Some(60)),
        server_id: Set(server_id),
        room_name: Set(room),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    };
    Ok(activity::Entity::insert(a).exec(db).await?.last_insert_id)
}

fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// `POST base+path` as a same-origin browser form submission with the given login cookie.
async fn post_form(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, String)],
) -> anyhow::Result<(reqwest::StatusCode, Vec<u8>)> {
    let r = http
        .post(format!("{base}{path}"))
        .header("cookie", format!("aula_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await?;
    let status = r.status();
    let body = r.bytes().await?;
    Ok((status, body.to_vec()))
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

async fn participants(
    db_url: &str,
    base: &str,
    count: usize,
    out: &str,
    concurrency: usize,
) -> anyhow::Result<()> {
    let db = connect(db_url).await?;
    let server_id = default_server(&db).await?;
    let tag = now_ms();
    let t0 = Instant::now();
    let course_id = insert_course(&db, &format!("bench-live-{tag}"), "Bench live course").await?;
    let ids = insert_users(&db, &format!("p{tag}-"), count).await?;
    let cookies = insert_sessions(&db, &ids).await?;
    enrol_all(&db, course_id, &ids, "student").await?;
    let now = now_s();
    let activity_id = insert_activity(
        &db,
        course_id,
        "Bench live session".into(),
        format!("bench-live-{tag}"),
        now - 600,
        now + 8 * 3600,
        server_id,
    )
    .await?;
    eprintln!(
        "seeded {count} students with sessions in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    // Open one attendance session per student, as the join page does on `videoConferenceJoined`.
    let t1 = Instant::now();
    let http = http_client()?;
    let cookies = Arc::new(cookies);
    let next = Arc::new(AtomicUsize::new(0));
    let opened: Arc<Mutex<Vec<Option<(String, i64)>>>> = Arc::new(Mutex::new(vec![None; count]));
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (http, cookies, next, opened, base) = (
            http.clone(),
            cookies.clone(),
            next.clone(),
            opened.clone(),
            base.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= cookies.len() {
                    return Ok::<(), anyhow::Error>(());
                }
                let client_ms = now_ms();
                let (status, body) = post_form(
                    &http,
                    &base,
                    "/api/attendance/open",
                    &cookies[i],
                    &[
                        ("activity_id", activity_id.to_string()),
                        ("client_ms", client_ms.to_string()),
                    ],
                )
                .await?;
                if !status.is_success() {
                    bail!("opening attendance: {status} {}", text(&body));
                }
                let v: serde_json::Value = serde_json::from_slice(&body)?;
                let token = v["token"]
                    .as_str()
                    .context("no token in the open reply")?
                    .to_owned();
                opened.lock().unwrap()[i] = Some((token, client_ms));
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let secs = t1.elapsed().as_secs_f64();
    eprintln!(
        "opened {count} attendance sessions over HTTP in {secs:.1} s ({:.0}/s, {concurrency} in flight)",
        count as f64 / secs
    );

    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    let opened = opened.lock().unwrap();
    for (cookie, o) in cookies.iter().zip(opened.iter()) {
        let (token, client_ms) = o.as_ref().context("a session was not opened")?;
        writeln!(f, "{cookie}\t{token}\t{client_ms}")?;
    }
    f.flush()?;
    println!("course_id={course_id}");
    println!("activity_id={activity_id}");
    Ok(())
}

async fn applied(db_url: &str, activity_id: i32) -> anyhow::Result<()> {
    let db = connect(db_url).await?;
    let sum: Option<i64> = iv::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(last_seq), 0) AS BIGINT)"),
            "s",
        )
        .filter(iv::Column::ActivityId.eq(activity_id))
        .into_tuple()
        .one(&db)
        .await?;
    println!("{}", sum.unwrap_or(0));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// simulate: a minimal HTTP/1.1 client, so that 10,000 participants can each hold a connection
// without 10,000 HTTP client pools.

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(512),
        })
    }

    async fn write_all(&self, mut data: &[u8]) -> std::io::Result<()> {
        while !data.is_empty() {
            self.stream.writable().await?;
            match self.stream.try_write(data) {
                Ok(n) => data = &data[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 4096];
        loop {
            self.stream.readable().await?;
            match self.stream.try_read(&mut chunk) {
                Ok(0) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "connection closed",
                    ));
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends one request and returns the response's status and body.
    async fn round_trip(&mut self, req: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
        self.buf.clear();
        self.write_all(req).await?;
        let head_end = loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status"))?;
        let len: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .ok_or_else(|| bad("no content-length"))?;
        while self.buf.len() < head_end + len {
            self.fill().await?;
        }
        Ok((status, self.buf[head_end..head_end + len].to_vec()))
    }
}

struct Participant {
    cookie: String,
    token: String,
    client_ms: i64,
}

#[derive(Default)]
struct Stats {
    sent: AtomicU64,
    accepted: AtomicU64,
    ignored: AtomicU64,
    non_200: AtomicU64,
    io_errors: AtomicU64,
    connects: AtomicU64,
    late_ms_max: AtomicU64,
    latencies_us: Mutex<Vec<u32>>,
}

fn read_participants(
    file: &str,
    skip: usize,
    count: Option<usize>,
) -> anyhow::Result<Vec<Participant>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    let all: Vec<Participant> = text
        .lines()
        .skip(skip)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut p = l.split('\t');
            let (Some(c), Some(t), Some(ms)) = (p.next(), p.next(), p.next()) else {
                bail!("bad participants line: {l}");
            };
            Ok(Participant {
                cookie: c.to_owned(),
                token: t.to_owned(),
                client_ms: ms.parse()?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let n = count.unwrap_or(all.len());
    if n > all.len() {
        bail!("{file} has {} participants after skipping {skip}, {n} asked", all.len());
    }
    Ok(all.into_iter().take(n).collect())
}

async fn simulate(
    base: &str,
    file: &str,
    skip: usize,
    count: Option<usize>,
    period_secs: u64,
    duration_secs: u64,
    connections: usize,
) -> anyhow::Result<()> {
    let addr = base
        .strip_prefix("http://")
        .context("--base must be http://host:port")?
        .trim_end_matches('/')
        .to_owned();
    let people = Arc::new(read_participants(file, skip, count)?);
    let n = people.len();
    let conns = if connections == 0 {
        n
    } else {
        connections.min(n)
    };
    let period = Duration::from_secs(period_secs);
    let duration = Duration::from_secs(duration_secs);
    let stats = Arc::new(Stats::default());
    eprintln!(
        "simulating {n} participants, one heartbeat each every {period_secs} s ({:.0}/s), over {conns} connections, for {duration_secs} s",
        n as f64 / period_secs as f64
    );
    let start = tokio::time::Instant::now();
    let end = start + duration;
    let mut tasks = Vec::with_capacity(conns);
    for c in 0..conns {
        let (people, stats, addr) = (people.clone(), stats.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            // This connection's participants, by their offset within the period.
            let mine: Vec<usize> = (c..n).step_by(conns).collect();
            let offset = |i: usize| period.mul_f64(i as f64 / n as f64);
            let mut conn: Option<Conn> = None;
            let mut round = 0u32;
            let mut seqs = vec![0i64; mine.len()];
            loop {
                for (k, &i) in mine.iter().enumerate() {
                    let due = start + period * round + offset(i);
                    if due >= end {
                        return;
                    }
                    let now = tokio::time::Instant::now();
                    if due > now {
                        tokio::time::sleep_until(due).await;
                    } else {
                        let late = (now - due).as_millis() as u64;
                        stats.late_ms_max.fetch_max(late, Ordering::Relaxed);
                    }
                    let p = &people[i];
                    seqs[k] += 1;
                    let seq = seqs[k];
                    let body = format!(
                        r#"{{"t":"{}","b":[{{"seq":{seq},"at":{}}}],"close":false}}"#,
                        p.token,
                        p.client_ms + seq
                    );
                    let req = format!(
                        "POST /attendance/beat HTTP/1.1\r\nHost: {addr}\r\nCookie: aula_session={}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        p.cookie,
                        body.len()
                    );
                    stats.sent.fetch_add(1, Ordering::Relaxed);
                    let t = Instant::now();
                    let mut outcome = Err(std::io::Error::other("not sent"));
                    // A kept-alive connection the server closed meanwhile: reconnect once.
                    for _ in 0..2 {
                        if conn.is_none() {
                            match Conn::open(&addr).await {
                                Ok(c) => {
                                    stats.connects.fetch_add(1, Ordering::Relaxed);
                                    conn = Some(c);
                                }
                                Err(e) => {
                                    outcome = Err(e);
                                    continue;
                                }
                            }
                        }
                        if let Some(c) = conn.as_mut() {
                            outcome = c.round_trip(req.as_bytes()).await;
                        }
                        if outcome.is_ok() {
                            break;
                        }
                        conn = None;
                    }
                    let us = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
                    match outcome {
                        Ok((200, body)) => {
                            stats.latencies_us.lock().unwrap().push(us);
                            if body.windows(12).any(|w| w == br#""accepted":1"#) {
                                stats.accepted.fetch_add(1, Ordering::Relaxed);
                            } else {
                                stats.ignored.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        Ok((status, body)) => {
                            if stats.non_200.fetch_add(1, Ordering::Relaxed) < 3 {
                                eprintln!(
                                    "heartbeat answered {status}: {}",
                                    String::from_utf8_lossy(&body)
                                );
                            }
                        }
                        Err(e) => {
                            if stats.io_errors.fetch_add(1, Ordering::Relaxed) < 3 {
                                eprintln!("heartbeat failed: {e}");
                            }
                        }
                    }
                }
                round += 1;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let secs = start.elapsed().as_secs_f64();
    let mut lat: Vec<f64> = stats
        .latencies_us
        .lock()
        .unwrap()
        .iter()
        .map(|us| f64::from(*us) / 1000.0)
        .collect();
    lat.sort_by(f64::total_cmp);
    let sent = stats.sent.load(Ordering::Relaxed);
    let accepted = stats.accepted.load(Ordering::Relaxed);
    let failed = stats.non_200.load(Ordering::Relaxed) + stats.io_errors.load(Ordering::Relaxed);
    println!(
        "sim_participants={n} sim_connections={conns} sim_sent={sent} sim_accepted={accepted} sim_ignored={} sim_non200={} sim_io_errors={} sim_connects={} sim_rate={:.1} sim_target_rate={:.1} sim_p50_ms={:.2} sim_p99_ms={:.2} sim_max_late_ms={}",
        stats.ignored.load(Ordering::Relaxed),
        stats.non_200.load(Ordering::Relaxed),
        stats.io_errors.load(Ordering::Relaxed),
        stats.connects.load(Ordering::Relaxed),
        sent as f64 / secs,
        n as f64 / period_secs as f64,
        percentile(&lat, 50.0),
        percentile(&lat, 99.0),
        stats.late_ms_max.load(Ordering::Relaxed),
    );
    if failed * 100 > sent {
        bail!("{failed} of {sent} heartbeats failed");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// course-report

/// One student's presence in one session: their intervals (ms).
struct Presence {
    activity: usize,
    user_id: i32,
    spans: Vec<(i64, i64)>,
}

fn plan_presence(rng: &mut Rng, opens_ms: i64, minutes: i64) -> Option<Vec<(i64, i64)>> {
    const MIN: i64 = 60_000;
    if !rng.chance(0.93) {
        return None;
    }
    let close = opens_ms + minutes * MIN;
    let join = opens_ms + rng.range(0, 8 * MIN);
    let leave = close - rng.range(0, 8 * MIN);
    // 1 interval 25 %, 2 intervals 40 %, 3 intervals 35 %: a dropped connection or a rejoin.
    let r = rng.range(0, 100);
    let parts = if r < 25 {
        1
    } else if r < 65 {
        2
    } else {
        3
    };
    let mut cuts: Vec<i64> = (1..parts)
        .map(|_| rng.range(join + 5 * MIN, leave - 10 * MIN))
        .collect();
    cuts.sort_unstable();
    let mut spans = Vec::with_capacity(parts);
    let mut start = join;
    for c in cuts {
        if c <= start {
            continue;
        }
        spans.push((start, c));
        start = c + rng.range(MIN, 6 * MIN);
    }
    spans.push((start, leave.max(start + MIN)));
    Some(spans)
}

async fn course_report(
    db_url: &str,
    base: &str,
    students: usize,
    sessions: usize,
    minutes: i64,
    runs: usize,
    warmups: usize,
) -> anyhow::Result<()> {
    let db = connect(db_url).await?;
    let server_id = default_server(&db).await?;
    let tag = now_ms();
    let t0 = Instant::now();
    let course_id =
        insert_course(&db, &format!("bench-report-{tag}"), "Bench report course").await?;
    let student_ids = insert_users(&db, &format!("r{tag}-s"), students).await?;
    let teacher_id = insert_users(&db, &format!("r{tag}-t"), 1).await?[0];
    enrol_all(&db, course_id, &student_ids, "student").await?;
    enrol_all(&db, course_id, &[teacher_id], "editingteacher").await?;
    let teacher_cookie = insert_sessions(&db, &[teacher_id]).await?.remove(0);

    // Sessions every two days, the last one ending yesterday at the latest, on the hour.
    let first = (now_s() - (sessions as i64 + 1) * 2 * 86_400) / 3600 * 3600;
    let mut activities = Vec::with_capacity(sessions);
    for k in 0..sessions {
        let opens = first + k as i64 * 2 * 86_400;
        let id = insert_activity(
            &db,
            course_id,
            format!("Lecture {:02}", k + 1),
            format!("bench-report-{tag}-{k}"),
            opens,
            opens + minutes * 60,
            server_id,
        )
        .await?;
        activities.push((id, opens * 1000));
    }

    let mut rng = Rng(0x5EED_2026_1124);
    let mut plan = Vec::new();
    for (k, &(_, opens_ms)) in activities.iter().enumerate() {
        for &uid in &student_ids {
            if let Some(spans) = plan_presence(&mut rng, opens_ms, minutes) {
                plan.push(Presence {
                    activity: k,
                    user_id: uid,
                    spans,
                });
            }
        }
    }

    // One attendance session (tab) per present student and session, then its intervals.
    let txn = db.begin().await?;
    for chunk in plan.chunks(1000) {
        sess::Entity::insert_many(chunk.iter().map(|p| sess::ActiveModel {
            activity_id: Set(activities[p.activity].0),
            user_id: Set(Some(p.user_id)),
            guest_key: Set(None),
            guest_name: Set(None),
            opened_ms: Set(p.spans[0].0),
            closed_ms: Set(Some(p.spans[p.spans.len() - 1].1)),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    let ids: Vec<i32> = activities.iter().map(|a| a.0).collect();
    let rows: Vec<(i32, i32, Option<i32>)> = sess::Entity::find()
        .select_only()
        .columns([sess::Column::Id, sess::Column::ActivityId, sess::Column::UserId])
        .filter(sess::Column::ActivityId.is_in(ids.clone()))
        .into_tuple()
        .all(&db)
        .await?;
    let session_of: HashMap<(i32, i32), i32> = rows
        .into_iter()
        .filter_map(|(id, a, u)| Some(((a, u?), id)))
        .collect();
    let mut intervals = Vec::new();
    for p in &plan {
        let aid = activities[p.activity].0;
        let sid = *session_of
            .get(&(aid, p.user_id))
            .context("session not found")?;
        for &(s, e) in &p.spans {
            intervals.push(iv::ActiveModel {
                session_id: Set(sid),
                activity_id: Set(aid),
                user_id: Set(Some(p.user_id)),
                guest_key: Set(None),
                start_ms: Set(s),
                last_seen_ms: Set(e),
                end_ms: Set(Some(e)),
                last_seq: Set((e - s) / 30_000),
                last_client_ms: Set(e),
                ..Default::default()
            });
        }
    }
    let n_intervals = intervals.len();
    let txn = db.begin().await?;
    let mut it = intervals.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<iv::ActiveModel> = it.by_ref().take(1000).collect();
        iv::Entity::insert_many(chunk).exec(&txn).await?;
    }
    txn.commit().await?;
    eprintln!(
        "generated {students} students x {sessions} sessions of {minutes} min: {} attendance sessions, {n_intervals} intervals, in {:.1} s",
        plan.len(),
        t0.elapsed().as_secs_f64()
    );

    let http = http_client()?;
    let time = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (http, cookie, base) = (http.clone(), teacher_cookie.clone(), base.to_owned());
        async move {
            let mut ms = Vec::with_capacity(runs);
            let mut last = Vec::new();
            for i in 0..warmups + runs {
                let t = Instant::now();
                let (status, body) = post_form(&http, &base, path, &cookie, &form).await?;
                let elapsed = t.elapsed().as_secs_f64() * 1000.0;
                if !status.is_success() {
                    bail!("{path}: {status} {}", text(&body));
                }
                if i >= warmups {
                    ms.push(elapsed);
                }
                last = body;
            }
            ms.sort_by(f64::total_cmp);
            Ok::<_, anyhow::Error>((ms, last))
        }
    };

    let (ms, body) = time("/api/attendance/course", vec![("course_id", course_id.to_string())]).await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    let (rows, cols) = (
        v["rows"].as_array().map_or(0, Vec::len),
        v["activities"].as_array().map_or(0, Vec::len),
    );
    if rows != students || cols != sessions {
        bail!("course report has {rows} rows x {cols} activities, expected {students} x {sessions}");
    }
    println!(
        "course_rows={rows} course_activities={cols} course_intervals={n_intervals} course_bytes={} course_runs={runs} course_p50_ms={:.1} course_p90_ms={:.1} course_max_ms={:.1}",
        body.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 90.0),
        ms[ms.len() - 1]
    );

    let (ms, body) = time(
        "/api/attendance/activity",
        vec![("activity_id", activities[sessions / 2].0.to_string())],
    )
    .await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    println!(
        "activity_rows={} activity_bytes={} activity_p50_ms={:.1} activity_p90_ms={:.1} activity_max_ms={:.1}",
        v["rows"].as_array().map_or(0, Vec::len),
        body.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 90.0),
        ms[ms.len() - 1]
    );
    Ok(())
}
