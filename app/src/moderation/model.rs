//! Moderator actions on a running meeting (pure): what each one sends through the IFrame API and
//! what it is called in the audit log.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModAction {
    MuteEveryone,
    Mute,
    Remove,
    GrantModerator,
    LobbyOn,
    LobbyOff,
    Admit,
    Deny,
    SetPassword,
    RemovePassword,
    EndMeeting,
}

impl ModAction {
    pub const ALL: [ModAction; 11] = [
        Self::MuteEveryone,
        Self::Mute,
        Self::Remove,
        Self::GrantModerator,
        Self::LobbyOn,
        Self::LobbyOff,
        Self::Admit,
        Self::Deny,
        Self::SetPassword,
        Self::RemovePassword,
        Self::EndMeeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MuteEveryone => "mute_everyone",
            Self::Mute => "mute",
            Self::Remove => "remove",
            Self::GrantModerator => "grant_moderator",
            Self::LobbyOn => "lobby_on",
            Self::LobbyOff => "lobby_off",
            Self::Admit => "admit",
            Self::Deny => "deny",
            Self::SetPassword => "set_password",
            Self::RemovePassword => "remove_password",
            Self::EndMeeting => "end_meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Does the action name one participant?
    pub fn targets_participant(self) -> bool {
        matches!(
            self,
            Self::Mute | Self::Remove | Self::GrantModerator | Self::Admit | Self::Deny
        )
    }

    /// The IFrame API call: `executeCommand(name, ...args)`. `participant` is the meeting's
    /// participant id, `password` the new room password.
    pub fn command(self, participant: &str, password: &str) -> (&'static str, Vec<Value>) {
        match self {
            Self::MuteEveryone => ("muteEveryone", vec![json!("audio")]),
            Self::Mute => (
                "muteRemoteParticipant",
                vec![json!(participant), json!("audio")],
            ),
            Self::Remove => ("kickParticipant", vec![json!(participant)]),
            Self::GrantModerator => ("grantModerator", vec![json!(participant)]),
            Self::LobbyOn => ("toggleLobby", vec![json!(true)]),
            Self::LobbyOff => ("toggleLobby", vec![json!(false)]),
            Self::Admit => (
                "answerKnockingParticipant",
                vec![json!(participant), json!(true)],
            ),
            Self::Deny => (
                "answerKnockingParticipant",
                vec![json!(participant), json!(false)],
            ),
            Self::SetPassword => ("password", vec![json!(password)]),
            Self::RemovePassword => ("password", vec![json!("")]),
            Self::EndMeeting => ("endConference", vec![]),
        }
    }
}

/// Someone in (or knocking at) the meeting, as the IFrame API reports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// The meeting's participant id.
    pub id: String,
    pub name: String,
    /// `moderator` or `participant`.
    pub role: String,
    /// The Aula account from the token's `context.user.id`, when the meeting passed it on.
    pub user_id: Option<i32>,
}

/// The Aula account behind a participant, and their role in the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub user_id: i32,
    pub name: String,
    pub role: crate::capabilities::CourseRole,
}

/// One audit-log line, formatted for the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub at: String,
    pub actor: String,
    pub action: ModAction,
    pub target: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_name() {
        for a in ModAction::ALL {
            assert_eq!(ModAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(ModAction::parse("make_me_owner"), None);
    }

    #[test]
    fn actions_map_to_the_iframe_api_commands() {
        assert_eq!(
            ModAction::Mute.command("abcd", ""),
            ("muteRemoteParticipant", vec![json!("abcd"), json!("audio")])
        );
        assert_eq!(
            ModAction::Deny.command("k1", ""),
            ("answerKnockingParticipant", vec![json!("k1"), json!(false)])
        );
        assert_eq!(
            ModAction::RemovePassword.command("", "x").1,
            vec![json!("")]
        );
        assert_eq!(
            ModAction::EndMeeting.command("", ""),
            ("endConference", vec![])
        );
        assert!(ModAction::Remove.targets_participant());
        assert!(!ModAction::LobbyOn.targets_participant());
    }
}
