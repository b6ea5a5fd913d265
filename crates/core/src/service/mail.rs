//! The outbox and its delivery.

use super::*;
use crate::account::AccountChange;
use crate::mail::{
    DeliveryReport, MailKind, MailMessage, MailStatus, MailTransport, OutgoingMail, texts,
};

/// Messages per delivery round, so one round never runs for long.
const DELIVERY_BATCH: u32 = 50;

impl Roster {
    /// The outbox, newest first, with every one-time code hidden (see [`Roster::reveal_mail`]).
    pub async fn outbox(&self, actor: &Actor, limit: u32) -> Result<Vec<MailMessage>, Error> {
        actor.require(Permission::ViewOutbox)?;
        check_limit(limit)?;
        let messages = self.repo.list_mail(limit).await?;
        Ok(messages
            .into_iter()
            .map(MailMessage::without_code)
            .collect())
    }

    /// One message whole, its one-time code included. A code is readable only by someone
    /// who may already set that account's password (a Helpdesk never reads an Admin's
    /// invitation), and every reading of one is an audit entry.
    pub async fn reveal_mail(&self, actor: &Actor, id: i64) -> Result<MailMessage, Error> {
        actor.require(Permission::ViewOutbox)?;
        let mail = self
            .repo
            .get_mail(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no message with id {id} in the outbox")))?;
        if mail.secret.is_none() {
            return Ok(mail);
        }
        let Some(user) = mail.user_id else {
            return Err(Error::Forbidden(
                "this message's one-time code belongs to no account Roster knows; issue a new code from the user's details".into(),
            ));
        };
        let user = self
            .user_to_manage(actor, Permission::ResetCredentials, &UserRef::Id(user))
            .await
            .map_err(|refused| match refused {
                Error::Forbidden(why) | Error::NotFound(why) => Error::Forbidden(format!(
                    "only someone who may set this account's password may read its one-time code ({why})"
                )),
                other => other,
            })?;
        let audit = self.record(
            actor,
            "mail.read_code",
            super::AuditTarget::user(&user),
            vec![FieldChange {
                field: "message".into(),
                before: None,
                after: Some(format!("#{id}: {}", mail.subject)),
            }],
        );
        self.save_account(crate::account::AccountChange {
            audit: vec![audit],
            ..Default::default()
        })
        .await?;
        Ok(mail)
    }

    /// One message as an `.eml` file; a one-time code in it is revealed as
    /// [`Roster::reveal_mail`] reveals it.
    pub async fn mail_eml(&self, actor: &Actor, id: i64) -> Result<String, Error> {
        let mail = self.reveal_mail(actor, id).await?;
        let settings = self.current_settings().await?;
        let from = settings
            .smtp
            .map_or_else(|| "roster@localhost".to_owned(), |s| s.from_address);
        Ok(crate::mail::eml(
            &mail,
            &format!("{} <{from}>", settings.organization_name),
        ))
    }

    /// Queues a test message to `to` (sent by the next delivery round).
    pub async fn queue_test_mail(&self, actor: &Actor, to: &str) -> Result<(), Error> {
        actor.require(Permission::ManageSettings)?;
        let to = to.trim();
        if !email_address::EmailAddress::is_valid(to) {
            return Err(Error::invalid(
                "to",
                "enter the email address to send the test to",
            ));
        }
        let settings = self.current_settings().await?;
        let (subject, body) = texts::test(&settings.mail_language, &settings.organization_name);
        let audit = self.record(
            actor,
            "mail.test",
            AuditTarget {
                kind: "settings".into(),
                id: 0,
                name: "settings".into(),
            },
            vec![FieldChange {
                field: "to".into(),
                before: None,
                after: Some(to.to_owned()),
            }],
        );
        self.save_account(AccountChange {
            audit: vec![audit],
            mail: vec![OutgoingMail {
                queued_at: self.clock.now(),
                kind: MailKind::Test,
                user: None,
                to_address: to.to_owned(),
                to_name: String::new(),
                subject,
                body,
                secret: None,
            }],
            ..AccountChange::default()
        })
        .await
        .map(|_| ())
    }

    /// Sends the messages that are due through the configured SMTP server. Without one,
    /// nothing is sent and the messages wait in the outbox.
    pub async fn deliver_mail(
        &self,
        transport: &dyn MailTransport,
    ) -> Result<DeliveryReport, Error> {
        let settings = self.current_settings().await?;
        let Some(smtp) = settings.smtp else {
            return Ok(DeliveryReport::default());
        };
        let now = self.clock.now();
        let mut report = DeliveryReport::default();
        for mut mail in self.repo.due_mail(now, DELIVERY_BATCH).await? {
            match transport
                .send(&smtp, &settings.organization_name, &mail)
                .await
            {
                Ok(()) => {
                    mail.status = MailStatus::Sent;
                    mail.attempts += 1;
                    mail.sent_at = Some(self.clock.now());
                    mail.last_error = None;
                    // Delivered, the code is the recipient's alone: the outbox keeps none.
                    mail = mail.without_code();
                    report.sent += 1;
                }
                Err(error) => {
                    mail.failed_attempt(error, self.clock.now());
                    report.failed += 1;
                }
            }
            self.repo.update_mail(&mail).await?;
        }
        Ok(report)
    }
}
