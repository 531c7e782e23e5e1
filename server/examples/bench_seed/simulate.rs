//! simulate: a minimal HTTP/1.1 client, so that 10,000 participants can each hold a connection
//! without 10,000 HTTP client pools.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use tokio::net::TcpStream;

use crate::common::percentile;

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
        bail!(
            "{file} has {} participants after skipping {skip}, {n} asked",
            all.len()
        );
    }
    Ok(all.into_iter().take(n).collect())
}

pub(crate) async fn simulate(
    base: &str,
    file: &str,
    (skip, count): (usize, Option<usize>),
    period_secs: u64,
    duration_secs: u64,
    connections: usize,
    seq_from: i64,
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
            let mut seqs = vec![seq_from - 1; mine.len()];
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
