//! The outbox and its delivery.

use super::*;
use crate::account::AccountChange;
use crate::mail::{
    DeliveryReport, MailKind, MailMessage, MailStatus, MailTransport, OutgoingMail, texts,
};

/// Messages per delivery round, so one round never runs for long.
const DELIVERY_BATCH: u32 = 50;

impl Roster {
    pub async fn outbox(&self, actor: &Actor, limit: u32) -> Result<Vec<MailMessage>, Error> {
        actor.require(Permission::ViewOutbox)?;
        check_limit(limit)?;
        self.repo.list_mail(limit).await.map_err(Error::from)
    }

    /// One message as an `.eml` file.
    pub async fn mail_eml(&self, actor: &Actor, id: i64) -> Result<String, Error> {
        actor.require(Permission::ViewOutbox)?;
        let mail = self
            .repo
            .get_mail(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no message with id {id} in the outbox")))?;
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
        let (subject, body) = texts::test(&settings.organization_name);
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
                to_address: to.to_owned(),
                to_name: String::new(),
                subject,
                body,
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
