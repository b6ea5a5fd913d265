//! `roster mail list | send | show`: the outbox.

use crate::Context;
use crate::output::say;
use crate::output::{CliError, local_time};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum MailCommand {
    /// The outbox, newest first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Send the messages that are due through the configured SMTP server.
    Send,
    /// One message as an .eml file on standard output.
    Show { id: i64 },
}

pub async fn run(command: MailCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        MailCommand::List { limit } => {
            let messages = ctx.roster.outbox(&ctx.actor, limit).await?;
            ctx.out.print(&messages, || {
                if messages.is_empty() {
                    say!("The outbox is empty.");
                }
                for m in &messages {
                    say!(
                        "{:>5}  {}  {:<7}  {}  {}",
                        m.id,
                        local_time(m.created_at),
                        m.status.as_str(),
                        m.to_address,
                        m.subject
                    );
                }
            });
        }
        MailCommand::Send => {
            let report = ctx
                .roster
                .deliver_mail(&roster_mail::SmtpMailer::new())
                .await?;
            ctx.out.print(&report, || {
                say!("{} sent, {} failed.", report.sent, report.failed)
            });
        }
        MailCommand::Show { id } => {
            let eml = ctx.roster.mail_eml(&ctx.actor, id).await?;
            ctx.out.print(&serde_json::json!({ "eml": eml }), || {
                crate::output::write_out(format_args!("{eml}"))
            });
        }
    }
    Ok(())
}
