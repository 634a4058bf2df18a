// How long to wait, in plain words, from a Retry-After in seconds: "30
// seconds", "2 minutes". Under a minute it says the seconds (rounded up to
// 5, so a countdown does not read as oddly exact); from a minute, whole
// minutes rounded up, so the worker never tries again too early.

export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) {
    const rounded = Math.min(60, Math.ceil(s / 5) * 5);
    if (rounded < 60) return `${rounded} seconds`;
  }
  const minutes = Math.ceil(s / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
