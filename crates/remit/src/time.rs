//! Dates and times. All times are UTC; dates are UTC calendar days.
//!
//! Functions here never read the clock: every operation of [`crate::Hub`] and
//! [`crate::Field`] takes "now" from its caller, so tests can move time freely.

use crate::error::{Error, Result};

/// Seconds in a day.
pub const DAY: u64 = 86_400;

/// The system clock, in seconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads a date written `YYYY-MM-DD` (also with `/` or `.`, and full-width digits) and
/// returns the last minute of that day, in minutes since the Unix epoch: a deadline on
/// that date means "by the end of that day".
pub fn parse_deadline(text: &str) -> Result<u32> {
    let bad = || Error::BadDate(text.trim().to_owned());
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF0D}' | '/' | '.' | '\u{FF0F}' | '\u{FF0E}' => '-',
            other => other,
        })
        .collect();
    let parts: Vec<&str> = folded.split('-').collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || !(1..=2).contains(&parts[1].len())
        || !(1..=2).contains(&parts[2].len())
        || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let year: i64 = parts[0].parse().map_err(|_| bad())?;
    let month: u32 = parts[1].parse().map_err(|_| bad())?;
    let day: u32 = parts[2].parse().map_err(|_| bad())?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(bad());
    }
    let next_day = days_from_civil(year, month, day) + 1;
    u32::try_from(next_day * 1440 - 1).map_err(|_| bad())
}

/// `YYYY-MM-DD` of a time in minutes since the epoch.
pub fn format_date_minutes(minutes: u32) -> String {
    let (y, m, d) = civil_from_days(i64::from(minutes) / 1440);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM` (UTC) of a time in seconds since the epoch.
pub fn format_time(unix: u64) -> String {
    let days = (unix / DAY) as i64;
    let secs = unix % DAY;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", secs / 3600, (secs / 60) % 60)
}

/// A short age: `45m`, `5h`, `3d`.
pub fn format_age(seconds: u64) -> String {
    if seconds < 3600 {
        format!("{}m", seconds / 60)
    } else if seconds < DAY {
        format!("{}h", seconds / 3600)
    } else {
        format!("{}d", seconds / DAY)
    }
}

/// Seconds to whole minutes, saturating at the protocol's 32-bit field.
pub(crate) fn to_minutes(unix: u64) -> u32 {
    u32::try_from(unix / 60).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        // 2026-12-01 23:59 UTC.
        let minutes = parse_deadline("2026-12-01").unwrap();
        assert_eq!(u64::from(minutes) * 60, 1_796_169_540);
        assert_eq!(format_date_minutes(minutes), "2026-12-01");
        assert_eq!(parse_deadline("２０２６－１２－０１").unwrap(), minutes);
        assert_eq!(parse_deadline("2026/12/1").unwrap(), minutes);
        assert_eq!(parse_deadline(" 2026.12.01 ").unwrap(), minutes);
        assert_eq!(format_date_minutes(parse_deadline("2024-02-29").unwrap()), "2024-02-29");
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "26-12-01", "tomorrow", "", "2026-12-01-1", "1969-12-31"]
        {
            assert!(parse_deadline(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        assert_eq!(format_time(1_795_683_600), "2026-11-26 09:00");
        assert_eq!(format_age(59), "0m");
        assert_eq!(format_age(3 * 3600 + 5), "3h");
        assert_eq!(format_age(8 * DAY), "8d");
        for days in [-1000i64, 0, 1, 59, 365, 10_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
