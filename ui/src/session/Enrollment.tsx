import type { Enrollment } from "../bindings/Enrollment";
import { t } from "../i18n";

/** The QR code and the grouped key of a pending second factor. */
export function EnrollmentCard({ enrollment }: { enrollment: Enrollment }) {
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qr_svg)}`;
  return (
    <div className="enrollment" data-testid="enrollment">
      <img className="enrollment-qr" src={qr} alt={t("signin-enrollment-qr", { issuer: enrollment.issuer, username: enrollment.username })} data-testid="enrollment-qr" />
      <div>
        <p>{t("signin-enrollment-scan")}</p>
        <p className="enrollment-key" data-testid="enrollment-key">
          {enrollment.key}
        </p>
        <p className="muted">
          {t("signin-enrollment-account", { issuer: enrollment.issuer, username: enrollment.username })}
        </p>
      </div>
    </div>
  );
}
