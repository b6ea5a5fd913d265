import type { Enrollment } from "../bindings/Enrollment";

/** The QR code and the grouped key of a pending second factor. */
export function EnrollmentCard({ enrollment }: { enrollment: Enrollment }) {
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qr_svg)}`;
  return (
    <div className="enrollment" data-testid="enrollment">
      <img className="enrollment-qr" src={qr} alt={`QR code for ${enrollment.issuer}: ${enrollment.username}`} data-testid="enrollment-qr" />
      <div>
        <p>Scan the code with an authenticator app, or type this key into it:</p>
        <p className="enrollment-key" data-testid="enrollment-key">
          {enrollment.key}
        </p>
        <p className="muted">
          Account: {enrollment.issuer} ({enrollment.username}) · time-based, 6 digits, every 30 seconds
        </p>
      </div>
    </div>
  );
}
