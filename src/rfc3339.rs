//! Instants written as the API writes them: RFC 3339 in UTC with `Z`, and
//! 0, 3, 6 or 9 fraction digits as the instant needs (chrono's own serde
//! format, byte for byte), but written straight into a buffer. chrono
//! writes each field through `fmt`, and serde_json escapes every piece: a
//! page of 50 activities holds some 250 instants, and formatting them was
//! a tenth of the service's CPU for the page.
//!
//! Use on fields: `#[serde(serialize_with = "crate::rfc3339::serialize")]`
//! (or `serialize_option` for an `Option`). Reading is unchanged.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// Writes `t` as chrono's serde format.
pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    match write(t, &mut buf) {
        Some(text) => s.serialize_str(text),
        // Years outside 0–9999 and leap seconds: chrono's own.
        None => t.serialize(s),
    }
}

/// [`serialize`] for an optional instant (`null` when absent).
pub fn serialize_option<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize(t, s),
        None => s.serialize_none(),
    }
}

/// `t` as text, as [`serialize`] writes it (FHIR instants use it too).
pub fn to_string(t: &DateTime<Utc>) -> String {
    let mut buf = [0u8; 30];
    match write(t, &mut buf) {
        Some(text) => text.to_string(),
        None => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    }
}

/// The text of `t` in `buf`, or `None` when chrono's long forms are needed.
fn write<'a>(t: &DateTime<Utc>, buf: &'a mut [u8; 30]) -> Option<&'a str> {
    let year = t.year();
    let nanos = t.nanosecond();
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return None;
    }
    buf[..20].copy_from_slice(b"0000-00-00T00:00:00.");
    digits(&mut buf[0..4], year as u32);
    digits(&mut buf[5..7], t.month());
    digits(&mut buf[8..10], t.day());
    digits(&mut buf[11..13], t.hour());
    digits(&mut buf[14..16], t.minute());
    digits(&mut buf[17..19], t.second());
    let (places, fraction) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (3, n / 1_000_000),
        n if n % 1_000 == 0 => (6, n / 1_000),
        n => (9, n),
    };
    let end = if places == 0 {
        19
    } else {
        digits(&mut buf[20..20 + places], fraction);
        20 + places
    };
    buf[end] = b'Z';
    std::str::from_utf8(&buf[..=end]).ok()
}

/// Fills `out` with `value`'s last decimal digits, zero-padded.
fn digits(out: &mut [u8], mut value: u32) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Serialize)]
    struct Ours(#[serde(serialize_with = "serialize")] DateTime<Utc>);

    fn same_as_chrono(t: DateTime<Utc>) {
        let ours = serde_json::to_string(&Ours(t)).unwrap();
        let chrono = serde_json::to_string(&t).unwrap();
        assert_eq!(ours, chrono, "{t:?}");
    }

    #[test]
    fn writes_exactly_what_chrono_writes() {
        // Every fraction shape, the ends of the fast path and beyond it.
        let base = Utc.with_ymd_and_hms(2026, 11, 22, 8, 5, 9).unwrap();
        for nanos in [
            0,
            1,
            10,
            999,
            1_000,
            120_000,
            999_999,
            1_000_000,
            7_000_000,
            123_456_789,
            999_999_999,
        ] {
            same_as_chrono(base + chrono::Duration::nanoseconds(nanos));
        }
        for (y, mo, d, h, mi, s) in [
            (0, 1, 1, 0, 0, 0),
            (9999, 12, 31, 23, 59, 59),
            (1, 2, 3, 4, 5, 6),
            (10000, 1, 1, 0, 0, 0),
            (-1, 6, 1, 12, 0, 0),
        ] {
            same_as_chrono(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap());
        }
        // A spread of instants over four centuries, with all kinds of fractions.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let secs = (x % 12_600_000_000) as i64 - 2_208_988_800;
            let nanos = match x % 4 {
                0 => 0,
                1 => (x >> 8) as u32 % 1000 * 1_000_000,
                2 => (x >> 8) as u32 % 1_000_000 * 1_000,
                _ => (x >> 8) as u32 % 1_000_000_000,
            };
            same_as_chrono(DateTime::from_timestamp(secs, nanos).unwrap());
        }
    }

    #[test]
    fn an_absent_instant_is_null() {
        #[derive(Serialize)]
        struct Maybe(#[serde(serialize_with = "serialize_option")] Option<DateTime<Utc>>);
        assert_eq!(serde_json::to_string(&Maybe(None)).unwrap(), "null");
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(
            serde_json::to_string(&Maybe(Some(t))).unwrap(),
            "\"2026-01-02T03:04:05Z\""
        );
    }
}
