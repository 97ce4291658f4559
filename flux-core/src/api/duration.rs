//! Go `time.Duration` strings as the Flux API writes them (`1h30m`, `90s`, `1.5h`).
//!
//! ```
//! use fluxcd_core::api::duration::{parse, format};
//! use std::time::Duration;
//!
//! assert_eq!(parse("1h30m").unwrap(), Duration::from_secs(5400));
//! assert_eq!(parse("1.5h").unwrap(), Duration::from_secs(5400));
//! assert_eq!(format(Duration::from_secs(570)), "9m30s");
//! assert!(parse("1d").is_err());
//! ```

use std::time::Duration;

/// A string that is not a Go duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {input:?}: {reason}")]
pub struct DurationError {
    /// The text given.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Parses a Go duration string (units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`; no sign).
pub fn parse(input: &str) -> Result<Duration, DurationError> {
    let err = |reason| DurationError {
        input: input.to_string(),
        reason,
    };
    if input == "0" {
        return Ok(Duration::ZERO);
    }
    if input.is_empty() {
        return Err(err("empty"));
    }
    let mut rest = input;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(err("expected a number"));
        }
        let (num, after) = rest.split_at(num_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let nanos_per: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(err("missing unit")),
            _ => return Err(err("unknown unit")),
        };
        let (int, frac) = match num.split_once('.') {
            Some((i, f)) => (i, f),
            None => (num, ""),
        };
        if int.is_empty() && frac.is_empty() || frac.contains('.') {
            return Err(err("bad number"));
        }
        let int_v: u128 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| err("number too large"))?
        };
        let mut value = int_v
            .checked_mul(nanos_per)
            .ok_or_else(|| err("overflow"))?;
        let mut scale = nanos_per;
        for d in frac.bytes().take(30) {
            scale /= 10;
            value += u128::from(d - b'0') * scale;
        }
        total = total.checked_add(value).ok_or_else(|| err("overflow"))?;
        rest = next;
    }
    if total > i64::MAX as u128 {
        return Err(err("overflow"));
    }
    Ok(Duration::from_nanos(total as u64))
}

/// Formats a duration the way Go's `Duration.String` does for whole seconds and
/// milliseconds, without the zero units Go prints (`9m30s`, `1h`, `1h0m30s` → `1h0m30s`).
pub fn format(d: Duration) -> String {
    let total_ms = d.as_millis();
    if total_ms == 0 {
        return "0s".into();
    }
    if !total_ms.is_multiple_of(1000) && total_ms < 1000 {
        return format!("{total_ms}ms");
    }
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let frac = total_ms % 1000;
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 || (h > 0 && (s > 0 || frac > 0)) {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || frac > 0 {
        if frac > 0 {
            let f = format!("{:03}", frac);
            out.push_str(&format!("{s}.{}s", f.trim_end_matches('0')));
        } else {
            out.push_str(&format!("{s}s"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_forms() {
        assert_eq!(parse("100ms").unwrap(), Duration::from_millis(100));
        assert_eq!(parse("2h45m").unwrap(), Duration::from_secs(9900));
        assert_eq!(parse(".5s").unwrap(), Duration::from_millis(500));
        assert_eq!(parse("0").unwrap(), Duration::ZERO);
        for bad in ["", "5", "1d", "5M", "-1s", "1..5s", "h", "1s5"] {
            assert!(parse(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format(Duration::from_secs(30)), "30s");
        assert_eq!(format(Duration::from_secs(3600)), "1h");
        assert_eq!(format(Duration::from_secs(3630)), "1h0m30s");
        assert_eq!(format(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format(Duration::from_millis(250)), "250ms");
    }
}
