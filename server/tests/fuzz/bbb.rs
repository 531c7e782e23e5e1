//! BigBlueButton's XML answers: any bytes a server (or something pretending to be one) sends are
//! either a typed answer or `BbbError`, never a panic.

use bbb::xml::{
    Ack, Created, Deleted, MeetingInfo, Meetings, Published, Recordings, Running, Updated, Version,
    parse, success_key,
};

fn target(bytes: &[u8]) {
    let Ok(xml) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = parse::<Ack>(xml);
    let _ = parse::<Version>(xml);
    let _ = parse::<Created>(xml);
    let _ = parse::<Running>(xml);
    let _ = parse::<MeetingInfo>(xml);
    let _ = parse::<Meetings>(xml);
    let _ = parse::<Recordings>(xml);
    let _ = parse::<Published>(xml);
    let _ = parse::<Deleted>(xml);
    let _ = parse::<Updated>(xml);
    let _ = success_key(xml);
}

#[test]
fn bbb_answers_never_panic_whatever_the_server_sends() {
    super::corpus::run("bbb_xml", target);
}
