//! The command line: `aula [serve|migrate|admin create|demo]`.

use std::{io::BufRead, net::SocketAddr, path::PathBuf};

use anyhow::{Context, bail};
use app::admin::ssr::{NewUser, create_user};
use clap::{Parser, Subcommand};

use crate::{config::Config, db, demo, startup};

#[derive(Debug, Parser)]
#[command(name = "aula", version, about = "Web conferences for teaching")]
pub struct Cli {
    /// Configuration file (default: ./aula.toml if present). AULA_* variables override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run pending migrations and serve (the default).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:3000 (overrides AULA_BIND).
        #[arg(long)]
        bind: Option<SocketAddr>,
    },
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Seed (or refresh) a demo site and print its logins. Safe to run again.
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a site administrator.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => {
            if let Some(b) = bind {
                config.bind = b;
            }
            let app = startup::Application::build(&config).await?;
            let addr = app.local_addr();
            tracing::info!(%addr, "Aula is listening");
            println!(
                "Aula is running at {}",
                config
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{addr}"))
            );
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let conn = db::connect(&config).await?;
            startup::prepare_database(&config, &conn).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    password_stdin,
                },
        } => {
            let password = read_password(password_stdin)?;
            let conn = db::connect(&config).await?;
            startup::prepare_database(&config, &conn).await?;
            let user = create_user(
                &conn,
                NewUser {
                    email: &email,
                    display_name: &name,
                    password: &password,
                    is_admin: true,
                    language: "en",
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            println!("created administrator {} (id {})", user.email, user.id);
            Ok(())
        }
        Command::Demo => {
            let conn = db::connect(&config).await?;
            startup::prepare_database(&config, &conn).await?;
            let logins = demo::seed(&conn).await?;
            println!(
                "Demo site ready. Logins (password for all: {}):",
                demo::DEMO_PASSWORD
            );
            for (role, email) in logins {
                println!("  {role:<22} {email}");
            }
            Ok(())
        }
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let mut line = String::new();
    if !from_stdin {
        eprint!("Password (input is shown; use --password-stdin in scripts): ");
    }
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password")?;
    let pw = line.trim_end_matches(['\n', '\r']).to_owned();
    if pw.is_empty() {
        bail!("no password given");
    }
    Ok(pw)
}

fn describe(e: &app::error::AppError) -> String {
    use app::error::{AppError, FieldCode};
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| {
                let why = match f.code {
                    FieldCode::AlreadyTaken => "is already taken".to_owned(),
                    FieldCode::TooShort(n) => format!("needs at least {n} characters"),
                    FieldCode::TooLong(n) => format!("allows at most {n} characters"),
                    FieldCode::InvalidEmail => "is not a valid e-mail address".to_owned(),
                    FieldCode::Required => "is required".to_owned(),
                    other => format!("is invalid ({other:?})"),
                };
                format!("{} {why}", f.field)
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
