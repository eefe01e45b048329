// Visible messages for the reader: malformed URL values and what was used instead.

import { useApp } from '../store';

export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="url-message">
      <ul>
        {notices.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss} aria-label="Dismiss these messages">
        Dismiss
      </button>
    </div>
  );
}
