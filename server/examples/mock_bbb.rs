//! Runs the mock BigBlueButton server (for the browser tests and for checking it with an
//! independent client): `cargo run -p server --features test-support --example mock_bbb --
//! 127.0.0.1:18600 <secret> [sha1,sha256,sha384,sha512]`. Its back office (`/__mock/…`, see
//! `crates/bbb/src/fake/backoffice.rs`) makes people join and leave and fires BBB's
//! callbacks (end, recording ready, analytics) at the URLs the meetings were created with.

use bbb::checksum::ChecksumAlgo;
use bbb::fake::MockBbb;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:18600".into())
        .parse()?;
    let secret = args.next().unwrap_or_else(|| "mock-bbb-secret".into());
    let allowed: Vec<ChecksumAlgo> = match args.next() {
        Some(list) => list.split(',').filter_map(ChecksumAlgo::parse).collect(),
        None => ChecksumAlgo::ALL.to_vec(),
    };
    let bound = MockBbb::new(&secret, &allowed).spawn(addr).await?;
    println!("mock BigBlueButton at http://{bound}/bigbluebutton/api");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
